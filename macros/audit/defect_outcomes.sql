{#
    One row per defect the generator injected into landing table `table_name`: its row_key, defect
    type, outcome (quarantined, corrected, harmless or missed, judged against
    expected_defect_handling()) and what happened to the row. Rows are matched by row_key, the same
    macro the quarantines use.
#}
{% macro defect_outcomes(table_name, key_columns) -%}
    {%- set handled = {} -%}
    {%- for defect_type, tables in expected_defect_handling().items() if table_name in tables -%}
        {%- do handled.update({defect_type: tables[table_name]}) -%}
    {%- endfor -%}
    {%- set quarantining = {} -%}
    {%- for defect_type, handling in handled.items() if handling.reasons -%}
        {%- do quarantining.update({defect_type: handling}) -%}
    {%- endfor -%}
    {%- set corrected_pairs = [] -%}
    {%- for handling in handled.values() -%}
        {%- for pair in handling.get('corrected_columns', []) if pair not in corrected_pairs -%}
            {%- do corrected_pairs.append(pair) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set staged_relation = ref('tbl_stg_' ~ table_name) -%}
    select
        manifest.table_name,
        manifest.row_key,
        manifest.defect_type,
        case
            when 1 = 0 then null
            {%- for defect_type, handling in handled.items() %}
            {%- set is_type = "manifest.defect_type = '" ~ defect_type ~ "'" %}
            when {{ is_type }} and found.expected_reasons > 0 then 'quarantined'
            {%- if handling.layer == 'corrected' %}
            when {{ is_type }} and found.reasons = 0 and staged_row.row_key is not null and (
                {%- for raw_column, staged_column in handling.corrected_columns %}
                raw_row.{{ raw_column }} is distinct from staged_row.{{ staged_column }}{% if not loop.last %} or{% endif %}
                {%- endfor %}
            ) then 'corrected'
            {%- endif %}
            {%- if handling.harmless_when %}
            when {{ is_type }} and found.reasons = 0 and ({{ handling.harmless_when }}) then 'harmless'
            {%- endif %}
            {%- endfor %}
            else 'missed'
        end as outcome,
        case
            when found.reasons > 0 then 'quarantined as ' || found.reason_list
            when staged_row.row_key is not null then 'staged as landed'
            else 'in neither staging nor a quarantine'
        end as what_happened,
        {% if handled -%}
        manifest.defect_type in ({% for defect_type in handled %}'{{ defect_type }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- else -%}
        false
        {%- endif %} as is_handling_documented
    from (
        select distinct table_name, row_key, defect_type
        from manifest
        where table_name = '{{ table_name }}'
    ) as manifest
    inner join (
        select
            manifest_row.row_key,
            manifest_row.defect_type,
            count(quarantined.reason) as reasons,
            {%- if quarantining %}
            sum(case
                {%- for defect_type, handling in quarantining.items() %}
                when manifest_row.defect_type = '{{ defect_type }}'
                    and quarantined.reason in ({% for reason in handling.reasons %}'{{ handling.layer }}:{{ reason }}'{% if not loop.last %}, {% endif %}{% endfor %})
                    then 1
                {%- endfor %}
                else 0
            end) as expected_reasons,
            {%- else %}
            0 as expected_reasons,
            {%- endif %}
            {{ dbt.listagg('distinct quarantined.reason', "', '", 'order by quarantined.reason') }} as reason_list
        from (
            select distinct row_key, defect_type
            from manifest
            where table_name = '{{ table_name }}'
        ) as manifest_row
        left join (
            select row_key, 'raw:' || rejection_reason as reason
            from {{ ref('tbl_raw_quarantine') }}
            where source_table = '{{ table_name }}'
            union all
            select row_key, 'staging:' || rejection_reason as reason
            from {{ ref('tbl_stg_' ~ table_name ~ '_quarantine') }}
        ) as quarantined
            on quarantined.row_key = manifest_row.row_key
        group by manifest_row.row_key, manifest_row.defect_type
    ) as found
        on found.row_key = manifest.row_key
        and found.defect_type = manifest.defect_type
    left join (
        select
            {{ row_key(key_columns, key_columns) }} as audited_row_key,
            kept.*
        from {{ ref('tbl_raw_' ~ table_name) }} as kept
        where {{ row_key(key_columns, key_columns) }} in (select row_key from manifest)
    ) as raw_row
        on raw_row.audited_row_key = manifest.row_key
    left join (
        select
            {{ row_key(key_columns, key_columns) }} as row_key
            {%- for _, staged_column in corrected_pairs %},
            {{ staged_column }}
            {%- endfor %}
        from {{ staged_relation }}
        where {{ row_key(key_columns, key_columns) }} in (select row_key from manifest)
    ) as staged_row
        on staged_row.row_key = manifest.row_key
{%- endmacro %}
