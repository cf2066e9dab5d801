{#
    Row access policies, and the relations each protects (on `columns`):
      customers_by_sales_region  a customer row is visible to TRANSFORMER, ANALYST (and so
                                 DATA_SCIENTIST) and ML_SERVICE, and to SALES_<REGION> roles for the
                                 customers whose account manager works in <REGION> (seed
                                 account_managers: account_manager -> sales_region).
#}
{% macro row_access_policies() -%}
    {{ return(var('row_access_policies', {
        'customers_by_sales_region': {
            'models': ['tbl_dim_customer', 'vw_customers_masked'],
            'columns': ['account_manager'],
        },
    })) }}
{%- endmacro %}

{% macro row_access_policy_name(policy) -%}
    {{ return(target.database ~ '.' ~ governance_schema() ~ '.' ~ policy | upper) }}
{%- endmacro %}

{% macro row_access_policy_sql(policy) -%}
    {%- if policy != 'customers_by_sales_region' -%}
        {%- do exceptions.raise_compiler_error('No definition for row access policy ' ~ policy) -%}
    {%- endif -%}
    {%- set r = governance_roles() -%}
    {%- set seed = graph.nodes.get('seed.' ~ project_name ~ '.account_managers') -%}
    {%- set managers = seed.database ~ '.' ~ seed.schema ~ '.' ~ seed.alias -%}
    {%- set body -%}
is_role_in_session('{{ r['transformer'] }}') or is_role_in_session('{{ r['analyst'] }}') or is_role_in_session('{{ r['ml_service'] }}') or exists (select 1 from {{ managers }} as managers where managers.account_manager = account_manager and is_role_in_session('{{ r['sales'] }}_' || replace(replace(upper(managers.sales_region), '-', '_'), ' ', '_')))
    {%- endset -%}
    {{ return([
        'create schema if not exists ' ~ target.database ~ '.' ~ governance_schema(),
        'create row access policy if not exists ' ~ row_access_policy_name(policy)
            ~ ' as (account_manager varchar) returns boolean -> ' ~ body
            ~ " comment = 'logistics: customers by the sales region of their account manager'",
        'alter row access policy ' ~ row_access_policy_name(policy) ~ ' set body -> ' ~ body,
    ]) }}
{%- endmacro %}
