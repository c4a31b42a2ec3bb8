"""Community histories are append-only in the database: raw UPDATE and DELETE fail."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import make_user
from tribu.community import services
from tribu.community.guards import HISTORY_TABLES


@pytest.fixture
def history(tribe):
    """One row in every history table, written through the services."""
    user = make_user("nina")
    application = services.apply(tribe.platform, user, name="Nina", statement="The Cause")
    services.vouch(application, tribe.alice, "I know her work")
    concern = services.raise_concern(application, tribe.bob, "Not met yet")
    services.withdraw_concern(concern, tribe.bob, "Met now")
    services.introduce(tribe.fanny, tribe.alice, tribe.bob, "Both on podcasts")
    services.start_charter(tribe.platform, "Be kind.", tribe.fanny)
    proposal = services.propose_change(tribe.alice, "Be kind and tidy.", "Tidiness")
    services.comment(proposal, tribe.bob, "Agreed")


@pytest.mark.parametrize("table", HISTORY_TABLES)
@pytest.mark.parametrize("sql", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_raw_sql_cannot_rewrite_history(history, table, sql):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] > 0  # a trigger only fires on rows
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(table=table))
