{#
    Warehouses and resource monitors (see setup_warehouses). Sizes, auto-suspend and monthly credit
    quotas are vars so each account sets its own; the defaults suit this project's volumes:
      LOADING_WH       XSMALL  Fivetran's loads                     30 credits/month
      TRANSFORMING_WH  XSMALL  dbt builds, dynamic table refreshes  100 credits/month
      ANALYTICS_WH     XSMALL  BI, analysts, ML serving             60 credits/month
    Each warehouse has its own monitor (notify at 80 %, suspend at 100 %, suspend immediately at
    110 %) and the account has one over all of them. NOTIFY_USERS must name users with a verified
    e-mail address (var resource_monitor_notify_users).
#}
{% macro governance_warehouses() -%}
    {%- set r = governance_roles() -%}
    {{ return(var('governance_warehouses', {
        'LOADING_WH': {'size': 'XSMALL', 'auto_suspend': 60, 'credit_quota': 30, 'roles': [r['loader']]},
        'TRANSFORMING_WH': {'size': 'XSMALL', 'auto_suspend': 60, 'credit_quota': 100, 'roles': [r['transformer']]},
        'ANALYTICS_WH': {'size': 'XSMALL', 'auto_suspend': 60, 'credit_quota': 60,
                         'roles': [r['analyst'], r['sales'], r['ml_service']]},
    })) }}
{%- endmacro %}

{% macro resource_monitor_sql(name, credit_quota) -%}
    {%- set users = var('resource_monitor_notify_users', ['DATA_PLATFORM_ONCALL']) -%}
    {%- set start = var('resource_monitor_start_timestamp', 'IMMEDIATELY') -%}
    {%- set start_sql = start if start | upper == 'IMMEDIATELY' else "'" ~ start ~ "'" -%}
    {{ return(
        'create resource monitor if not exists ' ~ name
        ~ ' with credit_quota = ' ~ credit_quota
        ~ ' frequency = monthly start_timestamp = ' ~ start_sql
        ~ (' notify_users = (' ~ users | join(', ') ~ ')' if users else '')
        ~ ' triggers on 80 percent do notify on 100 percent do suspend on 110 percent do suspend_immediate'
    ) }}
{%- endmacro %}

{% macro warehouses_sql() -%}
    {%- set statements = [] -%}
    {%- set ns = namespace(total=0) -%}
    {%- for name, spec in governance_warehouses().items() -%}
        {%- set monitor = name ~ '_MONITOR' -%}
        {%- set ns.total = ns.total + spec['credit_quota'] -%}
        {%- do statements.append(
            'create warehouse if not exists ' ~ name
            ~ " with warehouse_size = '" ~ spec['size'] ~ "' auto_suspend = " ~ spec['auto_suspend']
            ~ " auto_resume = true initially_suspended = true comment = 'logistics: " ~ name | lower ~ "'") -%}
        {%- do statements.append(resource_monitor_sql(monitor, spec['credit_quota'])) -%}
        {%- do statements.append('alter resource monitor ' ~ monitor ~ ' set credit_quota = ' ~ spec['credit_quota']) -%}
        {%- do statements.append('alter warehouse ' ~ name ~ ' set resource_monitor = ' ~ monitor) -%}
        {%- for role in spec['roles'] -%}
            {%- do statements.append('grant usage on warehouse ' ~ name ~ ' to role ' ~ role) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set account_monitor = var('account_resource_monitor', 'LOGISTICS_ACCOUNT_MONITOR') -%}
    {%- do statements.append(resource_monitor_sql(account_monitor, ns.total)) -%}
    {%- do statements.append('alter account set resource_monitor = ' ~ account_monitor) -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    Creates the warehouses and their resource monitors (run as ACCOUNTADMIN: only it can create
    resource monitors):
      dbt run-operation setup_warehouses --target prod --args '{dry_run: true}'
#}
{% macro setup_warehouses(dry_run=false) -%}
    {%- do require_snowflake_target('setup_warehouses') -%}
    {{ return(run_governance_statements('setup_warehouses', warehouses_sql(), dry_run)) }}
{%- endmacro %}
