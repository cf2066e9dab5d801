{#
    Warehouses and their resource monitors (vars.governance.warehouses; see setup_warehouses). Each
    warehouse has its own monitor (notify at 80 %, suspend at 100 %, suspend immediately at 110 %);
    no monitor is set on the account, so other workloads' warehouses are never suspended by ours.
    Re-running updates quota, notify users and triggers (CREATE ... IF NOT EXISTS alone never would).
    Warehouses are owned by PLATFORM_ADMIN, which may also monitor and modify their monitors (only
    ACCOUNTADMIN can create one). Notify users come from var resource_monitor_notify_users.
#}

{% macro resource_monitor_sql(name, credit_quota) -%}
    {%- set users = var('resource_monitor_notify_users', []) -%}
    {%- set settings = 'credit_quota = ' ~ credit_quota
        ~ (' notify_users = (' ~ users | join(', ') ~ ')' if users else '') -%}
    {%- set triggers = 'triggers on 80 percent do notify on 100 percent do suspend on 110 percent do suspend_immediate' -%}
    {{ return([
        'create resource monitor if not exists ' ~ name ~ ' with ' ~ settings
            ~ ' frequency = monthly start_timestamp = IMMEDIATELY ' ~ triggers,
        'alter resource monitor ' ~ name ~ ' set ' ~ settings ~ ' ' ~ triggers,
    ]) }}
{%- endmacro %}

{% macro warehouses_sql() -%}
    {%- set statements = ['use role ACCOUNTADMIN'] -%}
    {%- set platform = governance_role('PLATFORM_ADMIN') -%}
    {%- for name, spec in governance()['warehouses'].items() -%}
        {%- set monitor = name ~ '_MONITOR' -%}
        {%- do statements.append(
            'create warehouse if not exists ' ~ name
            ~ " with warehouse_size = '" ~ spec['size'] ~ "' auto_suspend = " ~ spec['auto_suspend_s']
            ~ " auto_resume = true initially_suspended = true comment = 'logistics: " ~ name | lower ~ "'") -%}
        {%- do statements.append('alter warehouse ' ~ name ~ " set warehouse_size = '" ~ spec['size']
            ~ "' auto_suspend = " ~ spec['auto_suspend_s']) -%}
        {%- do statements.extend(resource_monitor_sql(monitor, spec['monthly_credit_quota'])) -%}
        {%- do statements.append('alter warehouse ' ~ name ~ ' set resource_monitor = ' ~ monitor) -%}
        {%- do statements.append('grant ownership on warehouse ' ~ name ~ ' to role ' ~ platform ~ ' copy current grants') -%}
        {%- do statements.append('grant monitor, modify on resource monitor ' ~ monitor ~ ' to role ' ~ platform) -%}
        {%- for role in spec['usage'] -%}
            {%- do statements.append('grant usage on warehouse ' ~ name ~ ' to role ' ~ governance_role(role)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    Creates or updates the warehouses and their resource monitors (ACCOUNTADMIN: only it can create
    resource monitors):
      dbt run-operation setup_warehouses --target prod --args '{dry_run: true}'
#}
{% macro setup_warehouses(dry_run=false) -%}
    {%- do require_snowflake_target('setup_warehouses') -%}
    {{ return(run_governance_statements('setup_warehouses', warehouses_sql(), dry_run)) }}
{%- endmacro %}

{#
    Change tracking on the landing tables the dynamic tables read, enabled by their owner (LOADER):
    a dynamic table refreshes incrementally only over change-tracked base tables, and only the
    owner of a table may enable it (the dynamic table's owner, TRANSFORMER, is not).
#}
{% macro change_tracking_sql() -%}
    {%- set statements = ['use role ' ~ governance_role('LOADER')] -%}
    {%- set tables = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.materialized == 'dynamic_table' -%}
        {%- for source_id in node.depends_on.nodes if source_id.startswith('source.') -%}
            {%- set source = graph.sources[source_id] -%}
            {%- set table = source.database ~ '.' ~ source.schema ~ '.' ~ source.identifier -%}
            {%- if table not in tables -%}{%- do tables.append(table) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for table in tables | sort -%}
        {%- do statements.append('alter table ' ~ table ~ ' set change_tracking = true') -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{% macro enable_change_tracking(dry_run=false) -%}
    {%- do require_snowflake_target('enable_change_tracking') -%}
    {{ return(run_governance_statements('enable_change_tracking', change_tracking_sql(), dry_run)) }}
{%- endmacro %}
