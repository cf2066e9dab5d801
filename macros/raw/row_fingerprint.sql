{#
    md5 of a row's business columns, each cast to text, NULL as '', joined with '|'.
    The generator computes the same expression for its defect manifest (generator row_key contract),
    so a quarantined row can be matched to the defect that produced it.
#}
{% macro row_fingerprint(columns, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    md5(
        {%- for column in columns %}
        coalesce(cast({{ prefix }}{{ column }} as {{ dbt.type_string() }}), '')
        {%- if not loop.last %} || '|' ||{% endif -%}
        {%- else %}
        ''
        {%- endfor %}
    )
{%- endmacro %}
