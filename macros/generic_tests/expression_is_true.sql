{# Fails for every row where the boolean expression is not true (a null counts as a failure). #}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}
    select *
    from {{ model }}
    where not coalesce(
        {%- if column_name %} {{ column_name }} {{ expression }}{% else %} {{ expression }}{% endif %}, false)
    {%- if where_clause %}
        and ({{ where_clause }})
    {%- endif %}
{% endtest %}
