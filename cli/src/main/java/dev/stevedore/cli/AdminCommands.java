package dev.stevedore.cli;

import dev.stevedore.security.ApiKeyView;
import dev.stevedore.security.KeyRequest;
import dev.stevedore.security.TenantRequest;
import dev.stevedore.security.TenantView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore keys …} and {@code stevedore tenants …}, for administrators. */
final class AdminCommands {

  private AdminCommands() {}

  @Command(
      name = "keys",
      description = "Makes, lists and revokes API keys (administrators).",
      subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
  static final class Keys {

    @Command(name = "create", description = "Makes a key and prints its secret, shown this once.")
    static final class Create extends Base implements Callable<Integer> {

      @Option(names = "--name", required = true, description = "What the key is for")
      String name;

      @Option(
          names = "--role",
          required = true,
          description = "viewer, submitter, operator or admin")
      String role;

      @Option(names = "--tenant", description = "Its tenant (default: the default tenant)")
      String tenant;

      @Override
      public Integer call() {
        ApiKeyView key = connection().client().keys().create(new KeyRequest(name, role, tenant));
        if (connection().json) {
          connection().printer().json(key);
        } else {
          System.err.println("key " + key.id() + " (" + key.role() + " of " + key.tenant() + ")");
          System.out.println(key.key());
        }
        return ExitCodes.OK;
      }
    }

    @Command(name = "list", description = "Lists the keys (never their secrets).")
    static final class ListKeys extends Base implements Callable<Integer> {

      @Override
      public Integer call() {
        List<ApiKeyView> keys = connection().client().keys().list();
        Printer printer = connection().printer();
        if (printer.isJson()) {
          printer.json(keys);
          return ExitCodes.OK;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (ApiKeyView key : keys) {
          rows.add(
              List.of(
                  key.id(),
                  key.name(),
                  key.tenant(),
                  key.role(),
                  key.prefix(),
                  Printer.text(key.createdAt()),
                  key.revokedAt() == null ? "" : Printer.text(key.revokedAt())));
        }
        printer.table(
            List.of("ID", "NAME", "TENANT", "ROLE", "PREFIX", "CREATED", "REVOKED"), rows);
        return ExitCodes.OK;
      }
    }

    @Command(name = "revoke", description = "Revokes a key: it is refused from now on.")
    static final class Revoke extends Base implements Callable<Integer> {

      @Parameters(paramLabel = "KEY", description = "The key's id")
      String id;

      @Override
      public Integer call() {
        ApiKeyView key = connection().client().keys().revoke(id);
        if (connection().json) {
          connection().printer().json(key);
        } else {
          System.out.println(key.id() + " revoked");
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "tenants",
      description = "Makes, lists and changes tenants and their quotas (administrators).",
      subcommands = {Tenants.Create.class, Tenants.ListTenants.class, Tenants.Update.class})
  static final class Tenants {

    /** The options of create and update. */
    static final class Quotas {

      @Option(names = "--name", description = "A name for people")
      String name;

      @Option(names = "--max-running", description = "Jobs and sandboxes running at once")
      Integer maxRunning;

      @Option(names = "--max-queued", description = "Jobs waiting at once")
      Integer maxQueued;
    }

    @Command(name = "create", description = "Makes a tenant.")
    static final class Create extends Base implements Callable<Integer> {
      @Mixin Quotas quotas;

      @Parameters(paramLabel = "ID", description = "1-63 lower-case letters, digits or '-'")
      String id;

      @Override
      public Integer call() {
        TenantView tenant =
            connection()
                .client()
                .tenants()
                .create(new TenantRequest(id, quotas.name, quotas.maxRunning, quotas.maxQueued));
        print(connection(), List.of(tenant));
        return ExitCodes.OK;
      }
    }

    @Command(name = "list", description = "Lists the tenants with their quotas.")
    static final class ListTenants extends Base implements Callable<Integer> {

      @Override
      public Integer call() {
        List<TenantView> tenants = connection().client().tenants().list();
        if (connection().json) {
          connection().printer().json(tenants);
        } else {
          print(connection(), tenants);
        }
        return ExitCodes.OK;
      }
    }

    @Command(
        name = "update",
        description = "Changes a tenant's name or quotas; quotas left out go back to the defaults.")
    static final class Update extends Base implements Callable<Integer> {
      @Mixin Quotas quotas;

      @Parameters(paramLabel = "ID", description = "The tenant's id")
      String id;

      @Override
      public Integer call() {
        TenantView tenant =
            connection()
                .client()
                .tenants()
                .update(
                    id, new TenantRequest(id, quotas.name, quotas.maxRunning, quotas.maxQueued));
        print(connection(), List.of(tenant));
        return ExitCodes.OK;
      }
    }

    private static void print(Connection connection, List<TenantView> tenants) {
      Printer printer = connection.printer();
      if (printer.isJson() && tenants.size() == 1) {
        printer.json(tenants.get(0));
        return;
      }
      List<List<Object>> rows = new ArrayList<>();
      for (TenantView tenant : tenants) {
        rows.add(
            List.of(
                tenant.id(),
                tenant.name(),
                tenant.maxRunning(),
                tenant.maxQueued(),
                Printer.text(tenant.createdAt())));
      }
      printer.table(List.of("ID", "NAME", "MAX RUNNING", "MAX QUEUED", "CREATED"), rows);
    }
  }
}
