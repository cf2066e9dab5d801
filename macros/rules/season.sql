{#
    Meteorological season of a month (1-12) in a hemisphere: in the north December-February is WINTER,
    March-May SPRING, June-August SUMMER, September-November AUTUMN; the southern hemisphere (e.g.
    Australia) has the opposite season in the same month.
#}
{% macro season(month, hemisphere) -%}
    case
        when {{ month }} in (12, 1, 2) then case when {{ hemisphere }} = 'SOUTHERN' then 'SUMMER' else 'WINTER' end
        when {{ month }} in (3, 4, 5) then case when {{ hemisphere }} = 'SOUTHERN' then 'AUTUMN' else 'SPRING' end
        when {{ month }} in (6, 7, 8) then case when {{ hemisphere }} = 'SOUTHERN' then 'WINTER' else 'SUMMER' end
        when {{ month }} in (9, 10, 11) then case when {{ hemisphere }} = 'SOUTHERN' then 'SPRING' else 'AUTUMN' end
    end
{%- endmacro %}
