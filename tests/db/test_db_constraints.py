"""The database itself refuses bad data (raw SQL included) and applies the chosen deletion rules."""

from __future__ import annotations

import pytest
from peewee import IntegrityError
from row_factory import make, raw_insert, values

from bgpub.db.enums import OrderStatus, Role
from bgpub.db.fields import CheckedEnumField
from bgpub.db.models import (
    MODELS,
    BlogPost,
    Component,
    ComponentLibrary,
    Order,
    OrderItem,
    Organization,
    OrganizationMember,
    Page,
    Product,
    Project,
    User,
)

ENUM_COLUMNS = [
    (model, field)
    for model in MODELS
    for field in model._meta.sorted_fields
    if isinstance(field, CheckedEnumField)
]


def refused(db, action) -> bool:
    """True when the database raises IntegrityError; the failed statement is rolled back."""
    try:
        with db.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_email_unique_ignoring_case(db):
    make(User, email="Ann@Example.com")
    assert refused(db, lambda: User.create(email="ann@example.COM"))
    assert refused(db, lambda: raw_insert(db, User, values(User, email="ANN@EXAMPLE.COM")))
    assert not refused(db, lambda: raw_insert(db, User, values(User, email="bob@example.com")))
    assert User.select().count() == 2


def test_duplicate_membership(db):
    member = make(OrganizationMember, role=Role.EDITOR)
    again = values(OrganizationMember, organization=member.organization_id, user=member.user_id)
    assert refused(db, lambda: OrganizationMember.create(**again))
    assert refused(db, lambda: raw_insert(db, OrganizationMember, again))
    assert OrganizationMember.select().count() == 1


@pytest.mark.parametrize(
    ("model", "field"),
    ENUM_COLUMNS,
    ids=[f"{m._meta.table_name}.{f.name}" for m, f in ENUM_COLUMNS],
)
def test_enum_value_outside_the_set_is_refused(db, model, field):
    row = values(model)
    assert refused(db, lambda: raw_insert(db, model, {**row, field.name: "NOT_A_MEMBER"}))
    assert refused(
        db, lambda: raw_insert(db, model, {**row, field.name: str(row[field.name]).lower() + "x"})
    )
    assert not refused(db, lambda: raw_insert(db, model, row)), "the control row must be accepted"


def test_enum_columns_cover_the_design(db):
    tables = {(m._meta.table_name, f.name) for m, f in ENUM_COLUMNS}
    assert len({f.enum_class for _, f in ENUM_COLUMNS}) >= 10
    assert ("organization_members", "role") in tables and ("projects", "status") in tables


def test_money_and_quantities_are_checked(db):
    assert refused(db, lambda: raw_insert(db, Product, values(Product, price_cents=-1)))
    assert refused(db, lambda: raw_insert(db, Order, values(Order, total_cents=-5)))
    assert refused(db, lambda: raw_insert(db, OrderItem, values(OrderItem, quantity=0)))
    assert not refused(db, lambda: raw_insert(db, Product, values(Product, price_cents=0)))


def test_unique_slugs_and_domains(db):
    project = make(Project, subdomain="acme", custom_domain="www.acme.test")
    org = project.organization
    assert refused(db, lambda: make(Organization, slug=org.slug))
    assert refused(db, lambda: make(Project, subdomain="acme"))
    assert refused(db, lambda: make(Project, custom_domain="www.acme.test"))
    make(Page, project=project, slug="about")
    assert refused(db, lambda: make(Page, project=project, slug="about"))
    assert not refused(db, lambda: make(Page, slug="about"))  # another project: fine


def test_deleting_an_organization_cascades_to_projects_and_pages(db):
    page = make(Page)
    project = page.project
    other = make(Page)
    with db.atomic():
        Organization.delete().where(Organization.id == project.organization_id).execute()
    assert not Project.select().where(Project.id == project.id).exists()
    assert not Page.select().where(Page.id == page.id).exists()
    assert Page.select().where(Page.id == other.id).exists()
    db.execute_sql(
        'DELETE FROM "organizations" WHERE "id" = %s' % db.param, [other.project.organization_id]
    )
    assert Page.select().count() == 0


def test_orders_restrict_deleting_their_project(db):
    order = make(Order, status=OrderStatus.PAID)
    project = order.project
    assert refused(db, lambda: Project.delete().where(Project.id == project.id).execute())
    assert refused(
        db,
        lambda: Organization.delete().where(Organization.id == project.organization_id).execute(),
    )
    assert Project.select().where(Project.id == project.id).exists()
    # and the order itself cannot be deleted by anyone (0015's trigger), so neither can the project
    assert refused(db, lambda: Order.delete().where(Order.id == order.id).execute())
    assert Order.select().where(Order.id == order.id).exists()


def test_library_entries_in_use_cannot_be_deleted(db):
    saved = make(Component)
    assert refused(
        db,
        lambda: ComponentLibrary.delete().where(ComponentLibrary.id == saved.library_id).execute(),
    )


def test_deleting_a_user_keeps_their_work_and_drops_their_memberships(db):
    author = make(User)
    post = make(BlogPost, author=author)
    project = make(Project, created_by=author)
    make(OrganizationMember, user=author, organization=project.organization)
    with db.atomic():
        User.delete().where(User.id == author.id).execute()
    assert BlogPost.get_by_id(post.id).author_id is None
    assert Project.get_by_id(project.id).created_by_id is None
    assert OrganizationMember.select().where(OrganizationMember.user == author.id).count() == 0
