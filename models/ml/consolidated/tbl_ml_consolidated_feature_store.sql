{#
    Where a data scientist starts: one row per feature (key feature_name, as it is named in its
    per-entity view), with its entity, feature set, version, definition, window, unit and as-of
    semantics (from the feature models' YAML), the typed view that serves its values per (entity,
    feature_date or feature_at), and what the built data holds of it (rows with a value, first and
    last day).

    Why this shape: per-entity wide views behind one catalogue, not a long (entity, day, feature,
    value) table. A long table multiplies the rows by ~150 features and forces every value into one
    type; a union of unrelated blocks would pad with NULLs. The views keep each feature typed, cost
    no storage, and always show the tables' current rows.
#}
{{ config(materialized='table') }}

{%- set sets = ml_feature_sets() %}

with
{%- for feature_set in sets %}
{{ feature_set.name }}_coverage as (
    select
        cast(min({{ feature_set.time_column }}) as date) as first_feature_date,
        cast(max({{ feature_set.time_column }}) as date) as last_feature_date
        {%- for column in ml_feature_columns(feature_set.model) %}
        {%- if feature_set.entity_filter is not defined or column.name != 'entity_type' %},
        count({{ column.name }}) as {{ column.name }}
        {%- endif %}
        {%- endfor %}
    from {{ ref(feature_set.model) }}
    {%- if feature_set.entity_filter is defined %}
    where entity_type = '{{ feature_set.entity_filter }}'
    {%- endif %}
),
{%- endfor %}

features as (
    {%- set rows = [] %}
    {%- for feature_set in sets %}
    {%- for column in ml_feature_columns(feature_set.model) %}
    {%- set row %}
    select
        '{{ feature_set.name }}__{{ column.name }}' as feature_name,
        '{{ feature_set.name }}' as feature_set,
        '{{ feature_set.entity_type }}' as entity_type,
        '{{ feature_set.entity_key }}' as entity_key,
        '{{ feature_set.time_column }}' as time_column,
        '{{ feature_set.view }}' as values_view,
        '{{ feature_set.model }}' as source_model,
        '{{ column.name }}' as source_column,
        '{{ column.data_type }}' as data_type,
        '{{ column.description | replace("'", "''") }}' as definition,
        '{{ column.meta.window }}' as feature_window,
        '{{ column.meta.unit }}' as unit,
        '{{ column.meta.as_of | replace("'", "''") }}' as as_of_semantics,
        {{ column.meta.feature_version }} as feature_version,
        {{ feature_set.name }}_coverage.{{ column.name }} as rows_with_value,
        {{ feature_set.name }}_coverage.first_feature_date,
        {{ feature_set.name }}_coverage.last_feature_date
    from {{ feature_set.name }}_coverage
    {%- endset %}
    {%- do rows.append(row) %}
    {%- endfor %}
    {%- endfor %}
    {%- if rows %}
    {{ rows | join('\n    union all') }}
    {%- else %}
    {#- dbt parses models before the graph holds their columns: this row only keeps the parse valid. #}
    select
        'none' as feature_name, 'none' as feature_set, 'none' as entity_type, 'none' as entity_key,
        'none' as time_column, 'none' as values_view, 'none' as source_model, 'none' as source_column,
        'none' as data_type, 'none' as definition, 'none' as feature_window, 'none' as unit,
        'none' as as_of_semantics, 0 as feature_version, 0 as rows_with_value,
        cast(null as date) as first_feature_date, cast(null as date) as last_feature_date
    {%- endif %}
),

final as (
    select
        cast(feature_name as varchar) as feature_name,
        cast(feature_set as varchar) as feature_set,
        cast(entity_type as varchar) as entity_type,
        cast(entity_key as varchar) as entity_key,
        cast(time_column as varchar) as time_column,
        cast(values_view as varchar) as values_view,
        cast(source_model as varchar) as source_model,
        cast(source_column as varchar) as source_column,
        cast(data_type as varchar) as data_type,
        cast(definition as varchar) as definition,
        cast(feature_window as varchar) as feature_window,
        cast(unit as varchar) as unit,
        cast(as_of_semantics as varchar) as as_of_semantics,
        cast(feature_version as integer) as feature_version,
        cast(rows_with_value as bigint) as rows_with_value,
        cast(first_feature_date as date) as first_feature_date,
        cast(last_feature_date as date) as last_feature_date
    from features
)

select * from final
