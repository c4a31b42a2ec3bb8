"""The only write path of community life: joining, projects, intents, matches,
introductions, the charter and notifications.

Pages, the API, the demo and the `community_tick` command all call these functions.
Each checks who acts and what state things are in, raises a `TribuError` whose message
names what is wrong, and writes nothing otherwise. Histories are only ever appended to.
One module per family of actions; this package names them all.
"""

from .charter import (
    adopt,
    adopt_due,
    comment,
    current_charter,
    propose_change,
    reject,
    standing_objections,
    start_charter,
    withdraw_objection,
)
from .common import settings_for
from .intents import (
    DEFAULT_HELP_SPEC,
    between,
    dismiss_match,
    help_specifications,
    introduce,
    mark_helped,
    post_intent,
    refresh_matches,
    withdraw_intent,
)
from .joining import (
    apply,
    decide_concern,
    expire_trials,
    leave,
    open_concerns,
    raise_concern,
    vouch,
    withdraw_concern,
)
from .notifications import (
    confirmations_to_give,
    mark_read,
    notify,
    preference_of,
    send_digests,
    set_delivery,
)
from .periodic import tick
from .profiles import (
    PROJECT_FIELDS,
    save_project,
    update_profile,
)

__all__ = [
    "DEFAULT_HELP_SPEC",
    "PROJECT_FIELDS",
    "adopt",
    "adopt_due",
    "apply",
    "between",
    "comment",
    "confirmations_to_give",
    "current_charter",
    "decide_concern",
    "dismiss_match",
    "expire_trials",
    "help_specifications",
    "introduce",
    "leave",
    "mark_helped",
    "mark_read",
    "notify",
    "open_concerns",
    "post_intent",
    "preference_of",
    "propose_change",
    "raise_concern",
    "refresh_matches",
    "reject",
    "save_project",
    "send_digests",
    "set_delivery",
    "settings_for",
    "standing_objections",
    "start_charter",
    "tick",
    "update_profile",
    "vouch",
    "withdraw_concern",
    "withdraw_intent",
    "withdraw_objection",
]
