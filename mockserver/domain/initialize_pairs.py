"""Which record ``initialize`` makes from which, as NetSuite documents it.

Source: NetSuite Help Center, SOAP Web Services Platform Guide, "initialize / initializeList"
(section_N3508536, ``SOURCE`` below), the table "(Target Record) Transaction Type / Initialize Reference". Each pair is written with the
schema's names: the target is an ``InitializeType`` value, the reference an ``InitializeRefType``
value (``platformCoreTyp``), and ``aux`` the ``InitializeAuxRefType`` value the page says the pair
takes (the accounts receivable or payable account).

Left out: the page's "Customer Deposit from Sales Order", because ``customerDeposit`` is not an
``InitializeType`` value in the 2024_1 schema (a client cannot ask for it). Values of
``InitializeType`` the page pairs with nothing (assemblyBuild, binWorksheet, customPurchase,
customSale, inventoryTransfer, workOrder) have no documented reference, so none is listed.

Data only: the rules that fill a target from its reference live with the initialize handler.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3508536.html"


@dataclass(frozen=True)
class InitializePair:
    target: str               # InitializeType value: the record initialize returns
    reference: str            # InitializeRefType value: the record it is made from
    aux: str | None = None    # InitializeAuxRefType value the pair takes, if any


def _pairs(target: str, *references: str, aux: dict[str, str] | None = None
           ) -> list[InitializePair]:
    return [InitializePair(target, ref, (aux or {}).get(ref)) for ref in references]


INITIALIZE_PAIRS: tuple[InitializePair, ...] = tuple(
    _pairs("assemblyUnbuild", "assemblyBuild")
    + _pairs("cashRefund", "cashSale", "returnAuthorization")
    + _pairs("cashSale", "customer", "estimate", "opportunity", "salesOrder")
    + _pairs("creditMemo", "customer", "invoice", "returnAuthorization")
    + _pairs("customerPayment", "customer", "invoice", aux={"customer": "arAccount"})
    + _pairs("customerRefund", "creditMemo", "customer")
    + _pairs("depositApplication", "customerDeposit")
    + _pairs("estimate", "opportunity")
    + _pairs("invoice", "customer", "estimate", "opportunity", "salesOrder")
    + _pairs("itemFulfillment", "interCompanyTransferOrder", "salesOrder", "transferOrder",
             "vendorReturnAuthorization")
    + _pairs("itemReceipt", "interCompanyTransferOrder", "purchaseOrder", "returnAuthorization",
             "transferOrder")
    + _pairs("purchaseOrder", "purchaseRequisition")
    + _pairs("returnAuthorization", "cashSale", "invoice", "salesOrder")
    + _pairs("salesOrder", "estimate", "opportunity")
    + _pairs("vendorBill", "purchaseOrder", "vendor", aux={"vendor": "apAccount"})
    + _pairs("vendorCredit", "vendor", "vendorBill", "vendorReturnAuthorization")
    + _pairs("vendorPayment", "employee", "vendor", "vendorBill")
    + _pairs("vendorReturnAuthorization", "vendor", "vendorBill")
    + _pairs("workOrderClose", "workOrder")
    + _pairs("workOrderCompletion", "workOrder")
    + _pairs("workOrderIssue", "workOrder")
)


def documented(target: str, reference: str) -> InitializePair | None:
    """The documented pair, or None: NetSuite does not initialize ``target`` from ``reference``."""
    return next((p for p in INITIALIZE_PAIRS
                 if p.target == target and p.reference == reference), None)
