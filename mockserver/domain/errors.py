"""NetSuite's error codes and messages, and the two ways an error reaches a client.

A *record error* becomes ``<status isSuccess="false">`` with a ``statusDetail`` (HTTP 200): that is
how NetSuite reports business problems (missing record, bad reference, duplicate). A *fault* is a
SOAP fault (HTTP 500) for request-level problems (login, concurrency, limits). Every message the
mock sends is written once, in the tables below. Codes are NetSuite's. A text without a comment
is quoted in ``../shared/reference/netsuite-soap-2024_1.md``; ``INFERRED`` marks a text the
reference has no source for (the mock's wording, or NetSuite's error-code table as read when the
mock was written, which the reference cites but does not quote), or a use of a real text that
is the mock's choice. docs/fidelity.md lists them.
"""

from __future__ import annotations

import re
import secrets
import string

from suitetalk.config import ConfigError

# Texts both a status detail and a fault carry.
UNEXPECTED_ERROR = "An unexpected error occurred."   # faultstring; the message adds the Error ID
UNEXPECTED_ERROR_WITH_ID = UNEXPECTED_ERROR + " Error ID: {error_id}"
INVALID_JOB_ID = "You have specified an invalid Job Id"
MAX_RECORDS_EXCEEDED = ("The maximum number ( {limit} ) of records allowed for a {operation} "
                        "operation has been exceeded.")

# message id -> (StatusDetailCodeType code, message template)
STATUS_MESSAGES: dict[str, tuple[str, str]] = {
    "record_missing": ("RCRD_DSNT_EXIST", "That record does not exist."),
    # the file cabinet's own code for a file that is not there (Salto's 2020_2 captures:
    # updateList "Media item not found 62330", deleteList "Media item not found 99999")
    "media_missing": ("MEDIA_NOT_FOUND", "Media item not found {key}"),
    "record_type_required": ("RCRD_TYPE_REQD", "The record type is required."),  # INFERRED
    "invalid_record_type": ("INVALID_RCRD_TYPE", "The record type [{type}] is invalid."),
    "record_type_mismatch": ("INVALID_RCRD_TYPE", "Invalid Record Type"),
    # {target}: the record type the reference points at ("Invalid folder reference key -600."
    # for a file's folder, Salto 2020_2 capture); docs/fidelity.md says which name
    "invalid_reference": ("INVALID_KEY_OR_REF", "Invalid {target} reference key {key}."),
    "invalid_key": ("INVALID_KEY_OR_REF", "The specified key is invalid."),
    "invalid_internal_id": ("INVALID_INTERNALID",
                            "Unparseable Internal Id, did you mean to lookup this field by Name "
                            "or External ID?"),
    "key_required": ("USER_ERROR", "Either internalId or externalId is required."),
    "external_id_required": ("USER_ERROR",  # INFERRED: for upsert without externalId
                             "You must specify an externalId for an upsert operation."),
    "required_fields": ("USER_ERROR", "Please enter value(s) for: {fields}"),
    "abstract_ref": ("USER_ERROR",
                     "Must submit a non-abstract instance of baseRef (eg RecordRef, "
                     "CustomRecordRef) NOT a baseRef"),
    "user_error": ("USER_ERROR", "{message}"),
    # attach/detach of two records NetSuite does not attach to each other (NetSweet
    # attach_file_to_bill_error.xml, 2016_2)
    "attachment_combination": ("USER_ERROR", "Invalid Attachment record combination"),
    "data_required": ("DATA_REQD", "You need to provide a proper value for the required field: "
                                   "{field}."),
    "duplicate_entity": ("DUP_ENTITY", "This entity already exists."),
    "duplicate_record": ("DUP_RCRD", "This record already exists"),  # INFERRED
    "invalid_field_value": ("INVALID_FLD_VALUE",
                            "You have entered an Invalid Field Value {value} for the following "
                            "field: {field}"),
    # a role with no level at all of the permission: NetSuite's template with an empty level
    # word, hence the two spaces (NetSweet issues #249 and #234, real captures)
    "no_permission": ("INSUFFICIENT_PERMISSION",
                      "Permission Violation: You need  the '{permission}' permission to access "
                      "this page. Please contact your account administrator."),
    # a role with a level too low (NetSweet delete_customer_error.xml, 2020_2)
    "insufficient_permission": ("INSUFFICIENT_PERMISSION",
                                "Permission Violation: You need a higher level of the '{permission}' "
                                "permission to access this page. Please contact your account "
                                "administrator."),
    # a read-only field sent without the ignoreReadOnlyFields preference: the reference quotes
    # the start (for addrtext, the field's internal id); the reasons as NetSuite lists them
    # (INFERRED: not quoted in the reference)
    "read_only_field": ("INSUFFICIENT_PERMISSION",
                        "You do not have permissions to set a value for element {field} due to "
                        "one of the following reasons: 1) The field is read-only; 2) An "
                        "associated feature is disabled; 3) The field is available either when "
                        "a record is created or updated, but not in both cases."),
    "unexpected": ("UNEXPECTED_ERROR", UNEXPECTED_ERROR_WITH_ID),
    "max_records": ("MAX_RCRDS_EXCEEDED", MAX_RECORDS_EXCEEDED),
    # duplicates beyond entities: INFERRED (not in the reference)
    "duplicate_item": ("DUP_ITEM", "Uniqueness error - there is already an item with that name "
                                   "or name/parent combination."),
    "duplicate_custom_field": ("DUP_CSTM_FIELD", "This custom field already exists"),
    # custom fields: INFERRED (not in the reference)
    "custom_field_key_required": ("CSTM_FIELD_KEY_REQD",
                                  "The specified custom field key is missing."),
    "custom_field_value_required": ("CSTM_FIELD_VALUE_REQD",
                                    "The specified custom field value is missing."),
    "invalid_custom_field": ("INVALID_CSTM_FIELD_REF",
                             "The specified custom field reference {key} is invalid."),
    "custom_field_data_type": ("INVALID_CSTM_FIELD_DATA_TYP",
                               "The customfield [{key}] reference object does not match its "
                               "data type."),
    "custom_field_record_type": ("INVALID_CSTM_FIELD_RCRD_TYP",
                                 "Invalid custom field record type"),
    "invalid_null_field": ("INVALID_FIELD_NAME_FOR_NULL",
                           "The specified name [{name}] must exactly match an existing field "
                           "name."),
    # transaction lines: INFERRED (not in the reference)
    "journal_unbalanced": ("JE_AMOUNTS_MUST_BALANCE", "The amounts in the journal entry must "
                                                      "balance."),
    "invalid_line": ("INVALID_LINE_ID", "No line items match the entered id(s) {line}."),
    "order_line_twice": ("DUPLICATE_KEYS",  # and its use: one bill line per order line
                         "This record contains duplicated key or keys. Please correct it before "
                         "next update."),
    "linked_entities": ("LINKED_ENTITIES_DONT_MATCH",
                        "You are attempting to link transactions, but the entities on the "
                        "transactions do not match."),
    "linked_items": ("LINKED_ITEMS_DONT_MATCH", "Linked items don't match"),
    # initialize and getAll: INFERRED (not in the reference) but INVALID_INITIALIZE_REF
    "initialize_type_required": ("INITIALIZE_ARG_REQD", "The initialize type is required."),
    "initialize_ref_type_required": ("INITIALIZE_ARG_REQD",
                                     "The initialize reference type is required."),
    "initialize_ref_id_required": ("INITIALIZE_ARG_REQD",
                                   "The initialize reference id is required."),
    "initialize_mismatch": ("INVALID_INITIALIZE_ARG",
                            "The reference type {reference} and initialize type {type} are not "
                            "matched."),
    "invalid_initialize_ref": ("INVALID_INITIALIZE_REF",
                               "You can not initialize {type}: invalid reference {key}."),
    "getall_type_required": ("GETALL_RCRD_TYPE_REQD", "The getAll record type is required."),
    # getSelectValue (INFERRED: texts ours, codes NetSuite's enumeration)
    "invalid_select_field": ("INVALID_FLD", "{type} has no field {field}."),
    "not_a_select_field": ("INVALID_FLD_TYP", "The field {field} of {type} is not a select "
                                              "field."),
    # search, searchMoreWithId, getDeleted
    "invalid_job_id": ("INVALID_JOB_ID", INVALID_JOB_ID),
    "invalid_page_size": ("INVALID_SEARCH_PAGE_SIZE", "Invalid search page size."),
    "invalid_page_index": ("INVALID_SEARCH_PAGE_INDEX", "Invalid search page index."),
    "columns_without_return": ("INVALID_SEARCH_PREF",
                               "You cannot set returnSearchColumns to false while you specify "
                               "search columns."),
    "return_without_columns": ("INVALID_SEARCH_PREF",
                               "You cannot set returnSearchColumns to true without specifying "
                               "search columns or referencing a saved search."),
    "invalid_search_operator": ("INVALID_SEARCH_OPERATOR",
                                "You need to provide a valid search field operator."),
    "invalid_search_value": ("INVALID_SEARCH_VALUE", "You need to provide a search value."),
    "max_values": ("MAX_VALUES_EXCEEDED",
                   "Too many values specified for a MultiSelectField, the maximum is 1000"),
    "invalid_search_type": ("INVALID_SRCH_TYP", "The search type [{type}] is invalid."),  # INFERRED
    "invalid_saved_search": ("INVALID_SAVED_SRCH",  # INFERRED
                             "The saved search {id} does not exist."),
    # type WARN (isSuccess stays true): an enum value the field does not have
    "invalid_enum_value": ("WARNING", "The field {field}'s enum value <{value}> is invalid for "
                                      "this search."),
    # the general ledger (INFERRED: codes from StatusDetailCodeType, texts the mock's;
    # docs/fidelity.md, "General ledger")
    "period_closed": ("TRAN_PERIOD_CLOSED", "The transaction's accounting period {period} is "
                                            "{why}: you cannot post to it."),
    "posting_summary_expressions": ("USER_ERROR", "A getPostingTransactionSummary request may "
                                                  "hold at most {limit} filter values."),
    "posting_summary_page": ("INVALID_PAGE_INDEX", "Invalid page index {page}: the summary has "
                                                   "{pages} page(s)."),
    # changePassword and changeEmail (INFERRED texts; the codes are StatusDetailCodeType's,
    # INVALID_PSWD and INVALID_EMAIL as NetSuite's N/auth module documents them)
    "passwords_dont_match": ("PWSDS_DONT_MATCH",
                             "The new password and its confirmation do not match."),
    "invalid_password": ("INVALID_PSWD", "The new password {reason}."),
    "password_illegal_char": ("INVALID_PSWD_ILLEGAL_CHAR",
                              "The new password contains characters that are not ASCII."),
    "emails_dont_match": ("NONMATCHING_EMAILS",
                          "The new email address and its confirmation do not match."),
    "invalid_email": ("INVALID_EMAIL", "{email} is not a valid email address."),
}

# fault id -> (detail element in platformFaults or None, FaultCodeType code, message)
FAULT_MESSAGES: dict[str, tuple[str | None, str | None, str]] = {
    "invalid_login": ("invalidCredentialsFault", "USER_ERROR", "Invalid login attempt."),
    "ambiguous_auth": ("invalidCredentialsFault", "USER_ERROR", "Ambiguous authentication"),
    # Passport next to a TokenPassport: same faultstring, only the hostname in the detail.
    "ambiguous_passport": (None, None, "Ambiguous authentication"),
    "concurrent_requests": ("exceededConcurrentRequestLimitFault", "WS_REQUEST_BLOCKED",
                            "SuiteTalk concurrent request limit exceeded. Request blocked."),
    "concurrent_session": ("exceededRequestLimitFault", "WS_CONCUR_SESSION_DISALLWD",
                           "Only one request may be made against a session at a time"),
    "record_count": ("exceededRecordCountFault", "MAX_RCRDS_EXCEEDED", MAX_RECORDS_EXCEEDED),
    "request_size": ("exceededRequestSizeFault", "USER_ERROR",  # INFERRED: code and text
                     "The request exceeds the maximum allowed size of {size}."),
    "unexpected": ("unexpectedErrorFault", "UNEXPECTED_ERROR", UNEXPECTED_ERROR_WITH_ID),
    # The one INSUFFICIENT_PERMISSION fault text the reference has (a request preference the
    # role may not use), sent for an injected InsufficientPermissionFault.
    "permission": ("insufficientPermissionFault", "INSUFFICIENT_PERMISSION",
                   "You do not have permission to control SuiteScript and Workflow Triggers in "
                   "Web Services Request."),
    "ws_permission": ("insufficientPermissionFault", "WS_PERMISSION_REQD",
                      "You do not have permission to access SOAP web services feature."),
    "administrator_only": ("insufficientPermissionFault", "INSUFFICIENT_PERMISSION",  # INFERRED
                           "Only administrators can see governance information."),
    "usage_limit": ("exceededUsageLimitFault", "USER_ERROR",  # INFERRED: code and text
                    "You have exceeded the usage limit for SuiteTalk requests."),
    "session_timed_out": ("invalidSessionFault", "SESSION_TIMED_OUT",
                          "Your connection has timed out. Please log in again."),
    "invalid_account": ("invalidAccountFault", "INVALID_ACCT", "Invalid login. No such account."),
    "invalid_version": ("invalidVersionFault", "UNSUPPORTED_WS_VERSION",
                        "TBA not supported in this SuiteTalk endpoint version"),
    # checkAsyncStatus and getAsyncResult (INFERRED: the reference has no AsyncFault capture;
    # the codes are FaultCodeType's, the first text is NetSuite's for a search id).
    "async_invalid_job": ("asyncFault", "INVALID_JOB_ID", INVALID_JOB_ID),
    "async_not_complete": ("asyncFault", "JOB_NOT_COMPLETE",
                           "Job {job_id} is not complete yet: check its status with "
                           "checkAsyncStatus."),
    "async_page_index": ("asyncFault", "INVALID_PAGE_INDEX",
                         "The results of job {job_id} have one page; page {page} does not "
                         "exist."),
    # The mock's own (INFERRED: NetSuite has no such case): an operation NetSuite has that the
    # mock does not model yet.
    "not_implemented": ("unexpectedErrorFault", "UNEXPECTED_ERROR",
                        "netsuite-mock does not implement the {operation} operation yet."),
    "initialize_not_implemented": ("unexpectedErrorFault", "UNEXPECTED_ERROR",
                                   "netsuite-mock does not implement initializing a {type} from "
                                   "a {reference} yet."),
    "status_action_without_status": ("unexpectedErrorFault", "UNEXPECTED_ERROR",
                                     "netsuite-mock cannot answer {operation} with a failed "
                                     "status: its answer has none (a fault rule action fits "
                                     "it)."),
    "select_not_implemented": ("unexpectedErrorFault", "UNEXPECTED_ERROR",
                               "netsuite-mock cannot list the values of the {field} field of "
                               "{type} yet."),
    "customization_not_implemented": ("unexpectedErrorFault", "UNEXPECTED_ERROR",
                                      "netsuite-mock does not model {type} customizations "
                                      "yet."),
    # The mock's own (INFERRED): a search the mock cannot evaluate faithfully (a join or a
    # search field it has no data for, a relative date it does not compute).
    "search_not_implemented": ("unexpectedErrorFault", "UNEXPECTED_ERROR",
                               "netsuite-mock cannot search on {what} yet."),
}

# fault id -> faultstring, where it is not the message: NetSuite's captures of
# UnexpectedErrorFault have the plain text as faultstring and the Error ID only in the message.
FAULTSTRINGS: dict[str, str] = {"unexpected": UNEXPECTED_ERROR}


# The faults above that are the mock's own, not NetSuite's: what it answers for what it does not
# model. A recording holding one shows the mock, not NetSuite: replay the request and compare.
MOCK_LIMITATIONS = ("not_implemented", "initialize_not_implemented", "search_not_implemented",
                    "customization_not_implemented", "select_not_implemented",
                    "status_action_without_status")


def mock_limitation(element: str | None, code: str | None, message: str | None) -> str | None:
    """The ``FAULT_MESSAGES`` id of the mock's own fault that a fault (as sent) is, or None."""
    for fault_id in MOCK_LIMITATIONS:
        known_element, known_code, template = FAULT_MESSAGES[fault_id]
        if (element, code) == (known_element, known_code) and message is not None \
                and _template_pattern(template).fullmatch(message):
            return fault_id
    return None


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(part) for part in parts), re.S)


def new_error_id() -> str:
    """An Error ID as NetSuite prints them: 21 lower-case letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(21))


class ConfigurationError(ConfigError):
    """A set-up NetSuite would not allow (accounts, limits, roles, rules); says which rule."""


class RecordError(Exception):
    """A business error for one record: becomes a failed ``status`` with one ``statusDetail``."""

    def __init__(self, code: str, message: str, *, detail_type: str = "ERROR"):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail_type = detail_type

    @classmethod
    def of(cls, message_id: str, **params: object) -> "RecordError":
        code, template = STATUS_MESSAGES[message_id]
        return cls(code, template.format(**params))

    def as_status(self) -> dict:
        return {"isSuccess": False, "statusDetail": [
            {"type": self.detail_type, "code": self.code, "message": self.message}]}


class SoapFault(Exception):
    """A request-level failure, sent as a SOAP fault with HTTP 500."""

    def __init__(self, element: str | None, code: str | None, message: str, *,
                 faultstring: str | None = None, http_status: int = 500):
        super().__init__(faultstring or message)
        self.element = element
        self.code = code
        self.message = message
        self.faultstring = faultstring or message
        self.http_status = http_status

    @classmethod
    def of(cls, fault_id: str, **params: object) -> "SoapFault":
        element, code, template = FAULT_MESSAGES[fault_id]
        if "error_id" in template and "error_id" not in params:
            params["error_id"] = new_error_id()
        return cls(element, code, template.format(**params),
                   faultstring=FAULTSTRINGS.get(fault_id))


class ClientFault(SoapFault):
    """A request the SOAP layer cannot read (bad XML, unknown element, wrong type).

    NetSuite's Axis front end answers these with ``soapenv:Server.userException`` and the
    parser's message as faultstring, and no NetSuite fault element (INFERRED from Axis 1).
    """

    def __init__(self, faultstring: str, *, http_status: int = 500):
        super().__init__(None, None, faultstring, faultstring=faultstring,
                         http_status=http_status)


def success_status() -> dict:
    return {"isSuccess": True}


def write_success_status() -> dict:
    """A successful write's status: since the 2018_2 endpoint NetSuite adds a detail saying the
    after-submit scripts did not fail (captures of add, addList, updateList; docs/fidelity.md)."""
    return {"isSuccess": True, "statusDetail": [{"afterSubmitFailed": False}]}


def invalid_reference(target: str, key: object) -> RecordError:
    """``INVALID_KEY_OR_REF`` for a reference to nothing. NetSuite writes the record type in
    its lower-case internal form, as in "You can not initialize itemreceipt: …" (capture)."""
    return RecordError.of("invalid_reference", target=target.lower(), key=key)


def missing_record(record_type: str, key: object) -> RecordError:
    """NetSuite's error for a record that is not there: the file cabinet has its own."""
    if record_type == "file":
        return RecordError.of("media_missing", key=key)
    return RecordError.of("record_missing")


def warning_status(message_id: str, **params: object) -> dict:
    """A successful status carrying one ``WARN`` detail, as NetSuite reports a no-match warning."""
    code, template = STATUS_MESSAGES[message_id]
    return {"isSuccess": True, "statusDetail": [
        {"type": "WARN", "code": code, "message": template.format(**params)}]}
