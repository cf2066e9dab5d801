{#
    The defect audit, row by row: every defect the generator injected (its manifest) and what the
    warehouse did with it. Where the generator did not land the data there is no manifest, and the
    audit is empty (a typed empty relation, so the model costs nothing there).
#}
{%- set manifest_relation = generator_defect_manifest() -%}
{#- Parsing renders the full query, so that dbt (and SQLMesh's loader) see every ref. -#}
{%- if execute and flags.WHICH != 'parse' and manifest_relation is none %}
select
    cast(null as {{ dbt.type_string() }}) as table_name,
    cast(null as {{ dbt.type_string() }}) as row_key,
    cast(null as {{ dbt.type_string() }}) as defect_type,
    cast(null as {{ dbt.type_string() }}) as outcome,
    cast(null as {{ dbt.type_string() }}) as what_happened,
    cast(null as boolean) as is_handling_documented
where 1 = 0
{%- else %}
with manifest as (
    select table_name, row_key, defect_type from {{ manifest_relation }}
),

{% for landing in landing_tables() %}
{{ landing.table }}_defects as (
    {{ defect_outcomes(landing.table, landing.key_columns) }}
),

{% endfor %}
final as (
    {%- for landing in landing_tables() %}
    select * from {{ landing.table }}_defects
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    table_name,
    row_key,
    defect_type,
    outcome,
    what_happened,
    is_handling_documented
from final
{%- endif %}
