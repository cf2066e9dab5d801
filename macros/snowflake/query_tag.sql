{#
    A query tag per dbt node, so Snowflake's QUERY_ATTRIBUTION_HISTORY can attribute credits to
    models (models/snowflake/vw_credits_by_model.sql reads it back). dbt-snowflake calls
    set_query_tag()/unset_query_tag() around every materialisation (models, seeds, snapshots, tests);
    these overrides tag every node, not only those with a `query_tag` config, with a JSON object:
      {"app": "logistics", "node": "<unique_id>", "resource_type": "model", "materialized": "...",
       "target": "<target name>", "label": "<the node's query_tag config, if any>"}
    and restore the profile's query_tag afterwards (no SHOW round trip per node).
#}
{% macro query_tag_for_node() -%}
    {%- set tag = {
        'app': project_name,
        'node': model.unique_id if model is defined and model else 'operation',
        'resource_type': model.resource_type if model is defined and model else 'operation',
        'materialized': config.get('materialized') or '',
        'target': target.name,
    } -%}
    {%- if config.get('query_tag') -%}
        {%- do tag.update({'label': config.get('query_tag')}) -%}
    {%- endif -%}
    {{ return(tojson(tag)) }}
{%- endmacro %}

{% macro snowflake__set_query_tag() -%}
    {%- set tag = query_tag_for_node() -%}
    {%- do run_query("alter session set query_tag = '" ~ tag | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") -%}
    {{ return(target.query_tag or none) }}
{%- endmacro %}

{% macro snowflake__unset_query_tag(original_query_tag) -%}
    {%- if original_query_tag -%}
        {%- do run_query("alter session set query_tag = '" ~ original_query_tag | replace("'", "\\'") ~ "'") -%}
    {%- else -%}
        {%- do run_query("alter session unset query_tag") -%}
    {%- endif -%}
{%- endmacro %}
