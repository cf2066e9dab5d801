{#
    The defect audit, row by row: every defect the generator injected (its manifest, empty where the
    generator did not land the data) and what the warehouse did with it.
#}
with manifest as (
    {{ generator_defect_manifest() }}
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
