"""NetSuite's 2024_1 schema as data: one module per namespace, in the WSDL's import order.

The order below is the order in which zeep first meets each schema document when it loads the
real WSDL, so it fixes zeep's automatic prefixes (ns0 core, ns13 relationships, ns21 purchases…)
that real clients use to look types up. ``registry`` holds every declaration.
"""

from mockserver.schema.model import VERSION, Namespace, registry, split_qname  # noqa: F401
from mockserver.schema import (  # noqa: F401  (import order = zeep's ns0..ns45)
    platform_core,
    platform_core_types,
    platform_fault_types,
    platform_faults,
    platform_messages,
    platform_common,
    platform_common_types,
    activities_scheduling,
    activities_scheduling_types,
    general_communication,
    general_communication_types,
    documents_file_cabinet,
    documents_file_cabinet_types,
    lists_relationships,
    lists_relationship_types,
    lists_support,
    lists_support_types,
    lists_accounting,
    lists_accounting_types,
    transactions_sales,
    transactions_sale_types,
    transactions_purchases,
    transactions_purchase_types,
    transactions_customers,
    transactions_customer_types,
    transactions_financial,
    transactions_financial_types,
    transactions_bank,
    transactions_bank_types,
    transactions_inventory,
    transactions_inventory_types,
    transactions_general,
    setup_customization,
    setup_customization_types,
    lists_employees,
    lists_employee_types,
    lists_website,
    lists_website_types,
    transactions_employees,
    transactions_employee_types,
    lists_marketing,
    lists_marketing_types,
    transactions_demand_planning,
    transactions_demand_planning_types,
    lists_supply_chain,
    lists_supply_chain_types,
)

NAMESPACES = list(registry.namespaces.values())
