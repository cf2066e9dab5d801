{#
    Schema of a model, seed or snapshot with a custom `schema` config.
    - prod: the configured schema as it is (raw, staging, marts, ...);
    - every other target: prefixed with the target's schema (main_raw on DuckDB, <dev_schema>_marts on
      a developer's Snowflake schema), so developers never write into each other's or prod's schemas.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name == 'prod' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
