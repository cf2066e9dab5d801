{#
    The surrogate key of every dimension's "unknown" member: a fact row whose dimension lookup finds
    nothing points here instead of being dropped. '-1' cannot collide with an md5 hex digest.
#}
{% macro unknown_key() -%}
    '-1'
{%- endmacro %}
