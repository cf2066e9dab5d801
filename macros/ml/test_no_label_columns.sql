{#
    Generic test: fails with one row per column of the model whose name starts with label_ (labels
    live only in models/ml/labels; a serving view or feature table must never carry one).
#}
{% test no_label_columns(model) %}
    {%- set columns = adapter.get_columns_in_relation(model) %}
    select column_name
    from (
        select cast(null as {{ dbt.type_string() }}) as column_name
        {%- for column in columns if (column.name | lower).startswith('label_') %}
        union all
        select '{{ column.name }}'
        {%- endfor %}
    ) as label_columns
    where column_name is not null
{% endtest %}
