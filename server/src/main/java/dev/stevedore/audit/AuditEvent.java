package dev.stevedore.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One sensitive action: who, for which tenant, when, on what, how it ended, from where. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

  @Id
  @SequenceGenerator(
      name = "audit_event_seq",
      sequenceName = "audit_event_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
  private Long id;

  @Column(nullable = false)
  private Instant at;

  private String actor;

  @Column(name = "actor_name")
  private String actorName;

  @Column(name = "tenant_id")
  private String tenantId;

  @Column(nullable = false)
  private String action;

  private String target;

  @Column(nullable = false)
  private String outcome;

  @Column(name = "client_address")
  private String clientAddress;

  protected AuditEvent() {}

  AuditEvent(
      String actor,
      String actorName,
      String tenantId,
      String action,
      String target,
      String outcome,
      String clientAddress) {
    this.at = Instant.now();
    this.actor = actor;
    this.actorName = actorName;
    this.tenantId = tenantId;
    this.action = action;
    this.target = target;
    this.outcome = outcome;
    this.clientAddress = clientAddress;
  }

  public Long id() {
    return id;
  }

  public Instant at() {
    return at;
  }

  public String actor() {
    return actor;
  }

  public String actorName() {
    return actorName;
  }

  public String tenantId() {
    return tenantId;
  }

  public String action() {
    return action;
  }

  public String target() {
    return target;
  }

  public String outcome() {
    return outcome;
  }

  public String clientAddress() {
    return clientAddress;
  }
}
