package it.inserver;

import dev.stevedore.security.TenantRequest;
import dev.stevedore.security.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Tenants of their own for the in-server tests, so that the application serving the other tests in
 * the same server never sees their jobs: a tenant made with a running quota of 0 is one whose
 * queued jobs the dispatcher passes over.
 */
@ApplicationScoped
@Transactional
public class TestTenants {

  @Inject TenantService tenants;

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  /** A new tenant with these quotas (null for the server's defaults); returns its id. */
  public String create(Integer maxRunning, Integer maxQueued) {
    String id = "arq-" + UUID.randomUUID().toString().substring(0, 8);
    tenants.create(new TenantRequest(id, id, maxRunning, maxQueued));
    return id;
  }

  /**
   * Forgets the tenant and all it owns: its jobs (their history and labels go with them) and its
   * batches. In SQL, so that it works whichever entities a test archive carries.
   */
  public void remove(String tenant) {
    delete("DELETE FROM job WHERE tenant_id = ?1", tenant);
    delete(
        "DELETE FROM batch_item WHERE batch_id IN (SELECT id FROM batch WHERE tenant_id = ?1)",
        tenant);
    delete("DELETE FROM batch WHERE tenant_id = ?1", tenant);
    delete("DELETE FROM tenant WHERE id = ?1", tenant);
  }

  private void delete(String sql, String tenant) {
    em.createNativeQuery(sql).setParameter(1, tenant).executeUpdate();
  }
}
