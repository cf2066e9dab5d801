{#
    Identifies a landed row even when its key is null: the key values joined with '|' when none is
    null, else 'md5:' followed by the row's fingerprint. Same contract as the generator's manifest.
#}
{% macro row_key(key_columns, columns) -%}
    case
        when {% for key in key_columns %}{{ key }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
            then {% for key in key_columns %}cast({{ key }} as {{ dbt.type_string() }}){% if not loop.last %} || '|' || {% endif %}{% endfor %}
        else 'md5:' || {{ row_fingerprint(columns) }}
    end
{%- endmacro %}
