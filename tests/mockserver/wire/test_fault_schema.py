"""Every SOAP fault the mock can send carries a NetSuite fault element that NetSuite's own schema
accepts (a code from FaultCodeType, a message), whether the mock raises it itself or a fault
rule injects it. Skipped without NetSuite's XSDs in ../shared."""

from __future__ import annotations

import pytest

from mockserver.admin_client import MockAdmin
from mockserver.domain.faultrules import FAULT_DEFAULTS
from tests.conftest import (GET_VENDOR_101, assert_valid_response, envelope, parse_fault,
                            passport_xml, post_soap)

pytestmark = [pytest.mark.server, pytest.mark.shared]


@pytest.fixture
def admin(mock):
    admin = MockAdmin(mock.url)
    admin.clear_rules()
    yield admin
    admin.clear_rules()


@pytest.mark.parametrize("fault", sorted(FAULT_DEFAULTS))
def test_every_injectable_fault_validates(mock, admin, real_schema, fault):
    action = {"kind": "fault", "fault": fault}
    if FAULT_DEFAULTS[fault] is None:   # no message of NetSuite's to default to: the user says
        action.update(code="JOB_NOT_COMPLETE", message="The job is not complete.")
    admin.add_rule({"operation": "get", "action": action})
    response = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert response.status_code == 500
    assert parse_fault(response)["element"] == fault[0].lower() + fault[1:]
    assert_valid_response(real_schema, response.content)


def test_the_mocks_own_faults_validate(mock, real_schema, unimplemented_operation):
    """Faults the mock raises itself: a bad login, too many records, an operation not modelled."""
    bad_login = envelope(GET_VENDOR_101, passport_xml(mock.settings, signature={"algorithm": "HMAC-SHA256", "value": "bm90IGl0"}))
    too_many = envelope("<m:getList>" + "".join(
        f'<m:baseRef xsi:type="c:RecordRef" internalId="{n}" type="vendor"/>'
        for n in range(1001)) + "</m:getList>", passport_xml(mock.settings))
    not_modelled = envelope(f"<m:{unimplemented_operation}/>", passport_xml(mock.settings))
    for data, action, element in [(bad_login, "get", "invalidCredentialsFault"),
                                  (too_many, "getList", "exceededRecordCountFault"),
                                  (not_modelled, unimplemented_operation,
                                   "unexpectedErrorFault")]:
        response = post_soap(mock, data, action=action)
        assert (response.status_code, parse_fault(response)["element"]) == (500, element)
        assert_valid_response(real_schema, response.content)
