"""The operation handlers, one module per family of operations; importing this package
registers every handler in ``dispatch.OPERATIONS``.

``records`` (get/add/update/upsert/delete), ``platform`` (server time, data centre URLs,
currency rates, governance information), ``lists`` (the list operations, getAll,
getCustomizationId), ``initialize`` (initialize, initializeList's one record), ``search``
(search, searchMoreWithId, getSavedSearch, getDeleted), ``async_jobs`` (the asynchronous
operations), ``inventory`` (getItemAvailability), ``select_values`` (getSelectValue),
``attach`` (attach, detach), ``invitees`` (updateInviteeStatus, updateInviteeStatusList),
``ledger`` (getPostingTransactionSummary, getBudgetExchangeRate), ``credentials``
(changePassword, changeEmail).
"""

from mockserver.domain.handlers import (async_jobs, attach, credentials,  # noqa: F401
                                        initialize, inventory, invitees, ledger, lists,
                                        platform, records, search, select_values)
