{#
    The masked form of a PII value, the same on every engine (split_part with a positive index,
    right() and || mean the same on DuckDB and Snowflake), so the masked serving views on DuckDB
    show exactly what a role without PII_READER sees through Snowflake's masking policies:
      email  '*****@' + the domain        ('billing@acme.example' -> '*****@acme.example')
      phone  '*******' + the last 4 digits ('+1 555 0101'          -> '*******0101')
      text   '*****'
    Masking is idempotent (masking a masked value changes nothing), so a view that masks a column
    already masked by a policy shows the same text. NULL stays NULL.
#}
{% macro mask_pii(kind, expression) -%}
    {%- if kind == 'email' -%}
        case when {{ expression }} is null then null else '*****@' || split_part({{ expression }}, '@', 2) end
    {%- elif kind == 'phone' -%}
        case when {{ expression }} is null then null else '*******' || right({{ expression }}, 4) end
    {%- elif kind == 'text' -%}
        case when {{ expression }} is null then null else '*****' end
    {%- else -%}
        {%- do exceptions.raise_compiler_error(
            "No masking for PII kind '" ~ kind ~ "': use email, phone or text (macros/portable/mask_pii.sql)") -%}
    {%- endif -%}
{%- endmacro %}

{#
    The PII kind of a column tagged `meta: {pii: ...}`: the tag when it names a kind (email, phone,
    text), by the column's name when the tag is `true`; 'invalid:<tag>' for a kind with no masking,
    which the governance hook refuses (the node fails) and the governance plan reports.
#}
{% macro pii_kind(column_name, tag) -%}
    {%- if tag is string and tag | lower in ['email', 'phone', 'text'] -%}
        {{ return(tag | lower) }}
    {%- elif tag is string -%}
        {{ return('invalid:' ~ tag) }}
    {%- elif 'email' in column_name | lower -%}
        {{ return('email') }}
    {%- elif 'phone' in column_name | lower -%}
        {{ return('phone') }}
    {%- else -%}
        {{ return('text') }}
    {%- endif -%}
{%- endmacro %}
