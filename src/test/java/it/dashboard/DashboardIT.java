package it.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in Debian's Chromium, headless, against the real server and engine: sign-in, the
 * jobs table kept live, a job's live log, cancel, a batch's progress, what a viewer may not do. A
 * screenshot of every page a test leaves is kept under {@code target/dashboard/}.
 */
class DashboardIT {

  private static final Path SHOTS = Path.of("target", "dashboard");
  private static WebDriver browser;
  private String test;

  @BeforeAll
  static void startBrowser() throws IOException {
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("chromium-"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new java.io.File(System.getProperty("chromium.driver", "/usr/bin/chromedriver")))
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void name(TestInfo info) {
    test = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void screenshot() throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(test + ".png"), png);
    browser.manage().deleteAllCookies();
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
  }

  @Test
  void aWrongKeyShowsAClearMessage() {
    open("");
    signIn("sdk_not-a-key");
    await().atMost(Duration.ofSeconds(10)).until(() -> text("sign-in-error").contains("not valid"));
    assertTrue(browser.findElement(By.id("nav")).getAttribute("hidden") != null);
  }

  @Test
  void aSubmittedJobAppearsAndSucceedsWithoutAReload() {
    open("");
    signIn(Api.ADMIN_KEY);
    browser.get(Api.BASE + "/#/jobs");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !browser.findElements(By.id("jobs")).isEmpty());
    awaitStreamOpen();
    String id = Api.submit(Api.shellJob("sleep 1; echo done")).getString("id");
    long submitted = System.nanoTime();
    await().atMost(Duration.ofSeconds(1)).until(() -> !row(id).isEmpty());
    long shownMs = (System.nanoTime() - submitted) / 1_000_000;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> row(id).stream().anyMatch(r -> r.getText().contains("SUCCEEDED")));
    System.out.println("A new job was in the table " + shownMs + " ms after its submission");
  }

  @Test
  void aJobsPageFollowsItsLogLiveAndCancelStopsIt() {
    String id =
        Api.submit(Api.shellJob("for i in 1 2 3 4 5 6 7 8 9 10; do echo line-$i; sleep 1; done"))
            .getString("id");
    open("");
    signIn(Api.ADMIN_KEY);
    browser.get(Api.BASE + "/#/jobs/" + id);
    await().atMost(Duration.ofSeconds(30)).until(() -> text("log").contains("line-2"));
    browser.findElement(By.id("cancel")).click();
    await().atMost(Duration.ofSeconds(30)).until(() -> text("job-state").contains("CANCELLED"));
    assertEquals("CANCELLED", Api.state(id));
    assertTrue(!text("log").contains("line-10"), "the job was stopped before its end");
  }

  @Test
  void aBatchsProgressBarReachesItsEnd() {
    JsonArrayBuilder items = Json.createArrayBuilder();
    for (int i = 0; i < 4; i++) {
      items.add(Json.createObjectBuilder());
    }
    String name = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created =
        Api.post(
            "/api/v1/batches",
            Json.createObjectBuilder()
                .add("name", name)
                .add("template", Api.shellSpec("sleep 1"))
                .add("items", items)
                .add("parallelism", 2)
                .add("checkpointEvery", 1)
                .build()
                .toString());
    assertEquals(201, created.statusCode(), created.body());
    open("");
    signIn(Api.ADMIN_KEY);
    browser.get(Api.BASE + "/#/batches");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                browser.findElements(By.cssSelector("li[data-batch]")).stream()
                    .anyMatch(li -> li.getText().contains(name) && li.getText().contains("100 %")));
  }

  @Test
  void aViewerSeesNoCancelButtonAndAForcedCancelIsRefused() {
    String viewer = viewerKey();
    String id = Api.submit(Api.shellJob("sleep 20")).getString("id");
    try {
      open("");
      signIn(viewer);
      browser.get(Api.BASE + "/#/jobs/" + id);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !browser.findElements(By.id("log")).isEmpty());
      assertTrue(browser.findElements(By.id("cancel")).isEmpty(), "no cancel button for a viewer");
      assertTrue(browser.findElements(By.id("cancel-selected")).isEmpty());
      Object status =
          ((org.openqa.selenium.JavascriptExecutor) browser)
              .executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + "fetch('/api/v1/jobs/"
                      + id
                      + "/cancel', {method: 'POST', headers:"
                      + " {Authorization: 'Bearer ' + sessionStorage.getItem('stevedore.key')}})"
                      + ".then(r => done(r.status), e => done(String(e)));");
      assertEquals(403L, status);
    } finally {
      Api.send(
          HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/cancel"))
              .POST(HttpRequest.BodyPublishers.noBody()));
    }
  }

  // ---- helpers ----

  private static void open(String hash) {
    browser.get(Api.BASE + "/" + hash);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !browser.findElements(By.id("key")).isEmpty());
  }

  private static void signIn(String key) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.id("key")).isDisplayed());
    WebElement field = browser.findElement(By.id("key"));
    field.clear();
    field.sendKeys(key);
    browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
  }

  /** Waits until the page's event stream is open: a ticket was taken and the socket answered. */
  private static void awaitStreamOpen() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Boolean.TRUE.equals(
                    ((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeScript("return document.body.dataset.live === 'true'")));
  }

  private static String text(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static List<WebElement> row(String jobId) {
    return browser.findElements(By.cssSelector("tr[data-job='" + jobId + "']"));
  }

  private static String viewerKey() {
    HttpResponse<String> made =
        Api.post(
            "/api/v1/keys",
            Json.createObjectBuilder()
                .add("name", "dashboard-viewer")
                .add("role", "VIEWER")
                .add("tenant", "default")
                .build()
                .toString());
    assertEquals(201, made.statusCode(), made.body());
    return Api.json(made).getString("key");
  }
}
