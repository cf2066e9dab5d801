{#
    The one surrogate-key hash of the warehouse: md5 over the given columns, each cast to text, a
    null written as the sentinel '<null>' (so null and '' differ), joined with '|'.
    Pass ids, integers or text only: the text of floats, dates and timestamps differs between engines
    and session settings, so pass those through date_id() / hour_id() / seconds_since_1970() first.
#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(" || '|' || ")) }}
{%- endmacro %}
