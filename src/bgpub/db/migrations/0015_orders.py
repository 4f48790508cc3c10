"""Orders from Stripe Checkout, kept as financial records.

- `orders.stripe_session_id` (null; unique with `project_id`): the Checkout Session an order came from,
  so an event delivered twice (or two events for one session) makes one order;
  `orders.stripe_payment_intent` (null, indexed with `project_id`) finds the order a refund is for.
- `orders.fulfilled_at`, `orders.refunded_at` (null) and `orders.refund_note` (text, '' for existing rows).
- `order_items.sku` (null, copied at order time) and `order_items.oversold` (0 for existing rows): the
  units sold beyond the stock that was left; a line with oversold > 0 is flagged for the shop owner.
- `stripe_events`: the Stripe event ids each project has handled (unique per project): a retried event
  changes nothing.
- `publish_requests`: a publish a sell-out asked for (the `publish_on_sellout` project setting), done
  later by `bgpub order publish-due`.
- Orders and their lines cannot be deleted or truncated, nor their amounts changed, by anyone: a
  trigger refuses it on both databases (the services refuse first, with a readable message). On SQLite
  a migration that rebuilds `orders` or `order_items` must create these triggers again.

On PostgreSQL both new tables get row-level security: members read their projects' publish requests
and ADMINs mark them done; Stripe event ids have no policy at all, so only the owner connection (the
collector's) sees them.
"""

from peewee import *

IMMUTABLE = "orders are financial records: they cannot be deleted, nor their amounts changed"

PG_TRIGGERS = f"""
CREATE OR REPLACE FUNCTION bgpub_keep_orders() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_catalog AS $$
BEGIN
  RAISE EXCEPTION '{IMMUTABLE}' USING ERRCODE = 'restrict_violation',
    HINT = 'archive the project instead; a refund is recorded with bgpub order refund-note';
END
$$;

CREATE TRIGGER orders_keep BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION bgpub_keep_orders();
CREATE TRIGGER orders_keep_all BEFORE TRUNCATE ON orders FOR EACH STATEMENT
EXECUTE FUNCTION bgpub_keep_orders();
CREATE TRIGGER orders_keep_amounts BEFORE UPDATE ON orders FOR EACH ROW
WHEN (OLD.total_cents IS DISTINCT FROM NEW.total_cents OR OLD.currency IS DISTINCT FROM NEW.currency
      OR OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.number IS DISTINCT FROM NEW.number)
EXECUTE FUNCTION bgpub_keep_orders();
CREATE TRIGGER order_items_keep BEFORE DELETE ON order_items FOR EACH ROW
EXECUTE FUNCTION bgpub_keep_orders();
CREATE TRIGGER order_items_keep_all BEFORE TRUNCATE ON order_items FOR EACH STATEMENT
EXECUTE FUNCTION bgpub_keep_orders();
CREATE TRIGGER order_items_keep_amounts BEFORE UPDATE ON order_items FOR EACH ROW
WHEN (OLD.order_id IS DISTINCT FROM NEW.order_id OR OLD.quantity IS DISTINCT FROM NEW.quantity
      OR OLD.unit_price_cents IS DISTINCT FROM NEW.unit_price_cents)
EXECUTE FUNCTION bgpub_keep_orders();
"""

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER orders_keep BEFORE DELETE ON orders BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END",
    "CREATE TRIGGER orders_keep_amounts BEFORE UPDATE OF total_cents, currency, project_id, number "
    "ON orders WHEN OLD.total_cents IS NOT NEW.total_cents OR OLD.currency IS NOT NEW.currency "
    "OR OLD.project_id IS NOT NEW.project_id OR OLD.number IS NOT NEW.number "
    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END",
    "CREATE TRIGGER order_items_keep BEFORE DELETE ON order_items "
    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END",
    "CREATE TRIGGER order_items_keep_amounts BEFORE UPDATE OF order_id, quantity, unit_price_cents "
    "ON order_items WHEN OLD.order_id IS NOT NEW.order_id OR OLD.quantity IS NOT NEW.quantity "
    "OR OLD.unit_price_cents IS NOT NEW.unit_price_cents "
    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END",
]

TRIGGERS = [
    ("orders", "orders_keep"),
    ("orders", "orders_keep_all"),
    ("orders", "orders_keep_amounts"),
    ("order_items", "order_items_keep"),
    ("order_items", "order_items_keep_all"),
    ("order_items", "order_items_keep_amounts"),
]

REQUESTS_POLICIES = [  # members read; an ADMIN (who may publish) marks a request done
    "CREATE POLICY bgpub_read ON publish_requests FOR SELECT "
    "USING (bgpub_may(bgpub_project_org(project_id), current_user, 0))",
    "CREATE POLICY bgpub_update ON publish_requests FOR UPDATE "
    "USING (bgpub_may_write(bgpub_project_org(project_id), current_user, 2)) "
    "WITH CHECK (bgpub_may_write(bgpub_project_org(project_id), current_user, 2))",
]


def _is_pg(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def frozen_models(db):
    class Project(Model):
        id = CharField(max_length=32, primary_key=True)

        class Meta:
            database = db
            table_name = "projects"
            legacy_table_names = False

    class StripeEvent(Model):
        id = CharField(max_length=32, primary_key=True)
        project = ForeignKeyField(Project, on_delete="CASCADE", index=True)
        event_id = CharField(max_length=255)
        type = CharField(max_length=100)
        outcome = CharField(max_length=32)
        received_at = DateTimeField()

        class Meta:
            database = db
            table_name = "stripe_events"
            legacy_table_names = False
            indexes = ((("project", "event_id"), True),)

    class PublishRequest(Model):
        id = CharField(max_length=32, primary_key=True)
        project = ForeignKeyField(Project, on_delete="CASCADE", index=True)
        reason = TextField()
        requested_at = DateTimeField()
        done_at = DateTimeField(null=True)
        version = IntegerField(null=True)
        error = TextField()

        class Meta:
            database = db
            table_name = "publish_requests"
            legacy_table_names = False

    return StripeEvent, PublishRequest


def _drop_triggers(db) -> None:
    for table, name in TRIGGERS:
        if _is_pg(db):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    if _is_pg(db):
        db.execute_sql("DROP FUNCTION IF EXISTS bgpub_keep_orders()")


def up(migrator, db):
    events, requests = frozen_models(db)
    db.create_tables([events, requests], safe=False)
    migrator.migrate(
        migrator.add_column("orders", "stripe_session_id", CharField(max_length=255, null=True)),
        migrator.add_column(
            "orders", "stripe_payment_intent", CharField(max_length=255, null=True)
        ),
        migrator.add_column("orders", "fulfilled_at", DateTimeField(null=True)),
        migrator.add_column("orders", "refunded_at", DateTimeField(null=True)),
        migrator.add_column("orders", "refund_note", TextField(null=True)),
        migrator.sql("UPDATE orders SET refund_note = ''"),
        migrator.add_not_null("orders", "refund_note"),
        migrator.add_index("orders", ("project_id", "stripe_session_id"), True),
        migrator.add_index("orders", ("project_id", "stripe_payment_intent"), False),
        migrator.add_column("order_items", "sku", CharField(max_length=64, null=True)),
        migrator.add_column("order_items", "oversold", IntegerField(null=True)),
        migrator.sql("UPDATE order_items SET oversold = 0"),
        migrator.add_not_null("order_items", "oversold"),
    )
    if not _is_pg(db):
        for statement in SQLITE_TRIGGERS:  # after the table rebuilds above, which drop triggers
            db.execute_sql(statement)
        return
    db.execute_sql(PG_TRIGGERS)
    db.execute_sql("ALTER TABLE stripe_events ENABLE ROW LEVEL SECURITY")
    db.execute_sql("ALTER TABLE publish_requests ENABLE ROW LEVEL SECURITY")
    for statement in REQUESTS_POLICIES:
        db.execute_sql(statement)


def down(migrator, db):
    _drop_triggers(db)
    migrator.migrate(
        migrator.drop_column("order_items", "oversold"),
        migrator.drop_column("order_items", "sku"),
        migrator.drop_index("orders", "orders_project_id_stripe_payment_intent"),
        migrator.drop_index("orders", "orders_project_id_stripe_session_id"),
        migrator.drop_column("orders", "refund_note"),
        migrator.drop_column("orders", "refunded_at"),
        migrator.drop_column("orders", "fulfilled_at"),
        migrator.drop_column("orders", "stripe_payment_intent"),
        migrator.drop_column("orders", "stripe_session_id"),
        migrator.drop_table("publish_requests"),
        migrator.drop_table("stripe_events"),
    )
