{#
    Row access policies (vars.governance.row_access), owned by GOVERNANCE_ADMIN in the environment's
    policy schema. customers_by_sales_region: a customer row is visible when the session's PRIMARY role
    sees every customer (declared `customer_rows: all`, or inherits such a role), or is the
    SALES_<REGION> role of the region whose account manager holds the customer. The mapping table
    (account manager -> sales role) lives beside the policy, filled from the account_managers seed by
    GOVERNANCE_ADMIN: the build role cannot change who sees what, and no build (CI or prod) repoints it.
    The policy's argument is named customer_account_manager, never a column of a table its body reads:
    an unqualified name inside the body binds to the mapping table first (always true).
#}

{% macro sales_region_mapping_table() -%}
    {{ return(policy_object_name('sales_region_roles')) }}
{%- endmacro %}

{% macro sales_region_mapping_sql() -%}
    {%- set values = [] -%}
    {%- for manager, region in sales_region_rows() -%}
        {%- do values.append("('" ~ manager | replace("'", "''") ~ "', '" ~ sales_region_role(region) ~ "')") -%}
    {%- endfor -%}
    {%- if not values -%}
        {%- do exceptions.raise_compiler_error('The account_managers seed has no rows: no sales region role would see any customer.') -%}
    {%- endif -%}
    {{ return([
        'create table if not exists ' ~ sales_region_mapping_table() ~ ' (account_manager varchar not null, sales_role varchar not null)',
        'delete from ' ~ sales_region_mapping_table(),
        'insert into ' ~ sales_region_mapping_table() ~ ' (account_manager, sales_role) values ' ~ values | join(', '),
    ]) }}
{%- endmacro %}

{% macro row_access_policy_name(policy) -%}
    {{ return(policy_object_name(policy)) }}
{%- endmacro %}

{% macro row_access_policy_body(policy) -%}
    {%- if policy != 'customers_by_sales_region' -%}
        {%- do exceptions.raise_compiler_error('No definition for row access policy ' ~ policy) -%}
    {%- endif -%}
    {{ return(primary_role_in(all_customer_rows_roles())
        ~ ' or exists (select 1 from ' ~ sales_region_mapping_table() ~ ' as assignment'
        ~ ' where assignment.account_manager = customer_account_manager'
        ~ ' and assignment.sales_role = current_role())') }}
{%- endmacro %}

{# CREATE (if absent) and SET BODY, as GOVERNANCE_ADMIN; APPLY granted to the build role only. #}
{% macro row_access_policy_sql(policy) -%}
    {%- set body = row_access_policy_body(policy) -%}
    {{ return([
        'create row access policy if not exists ' ~ row_access_policy_name(policy)
            ~ ' as (customer_account_manager varchar) returns boolean -> ' ~ body
            ~ " comment = 'logistics: customers by the sales region of their account manager'",
        'alter row access policy ' ~ row_access_policy_name(policy) ~ ' set body -> ' ~ body,
        'grant apply on row access policy ' ~ row_access_policy_name(policy) ~ ' to role ' ~ governance_role('TRANSFORMER'),
    ]) }}
{%- endmacro %}
