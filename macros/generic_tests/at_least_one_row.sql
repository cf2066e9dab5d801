{# Fails when the model is empty: every declared model must hold data. #}
{% test at_least_one_row(model) %}
    select 1 as is_empty
    from (select count(*) as row_count from {{ model }}) as counted
    where row_count = 0
{% endtest %}
