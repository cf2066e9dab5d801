{# ISO 8601 calendar parts of a DATE: weekday (1 = Monday .. 7 = Sunday), week (1..53), week-year. #}
{% macro iso_weekday(date_expression) -%}
    {{ return(adapter.dispatch('iso_weekday', 'logistics')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_weekday(date_expression) -%}
    /* portable:iso_weekday isodow and DAYOFWEEKISO are both the ISO weekday, Monday = 1 */ cast(isodow({{ date_expression }}) as integer) /* /portable */
{%- endmacro %}

{% macro snowflake__iso_weekday(date_expression) -%}
    /* portable:iso_weekday isodow and DAYOFWEEKISO are both the ISO weekday, Monday = 1 */ cast(dayofweekiso({{ date_expression }}) as integer) /* /portable */
{%- endmacro %}

{% macro iso_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_week', 'logistics')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_week(date_expression) -%}
    /* portable:iso_week weekofyear and WEEKISO are both the ISO 8601 week */ cast(weekofyear({{ date_expression }}) as integer) /* /portable */
{%- endmacro %}

{% macro snowflake__iso_week(date_expression) -%}
    /* portable:iso_week weekofyear and WEEKISO are both the ISO 8601 week */ cast(weekiso({{ date_expression }}) as integer) /* /portable */
{%- endmacro %}

{% macro iso_year(date_expression) -%}
    {{ return(adapter.dispatch('iso_year', 'logistics')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_year(date_expression) -%}
    /* portable:iso_year isoyear and YEAROFWEEKISO are both the ISO 8601 week-year */ cast(isoyear({{ date_expression }}) as integer) /* /portable */
{%- endmacro %}

{% macro snowflake__iso_year(date_expression) -%}
    /* portable:iso_year isoyear and YEAROFWEEKISO are both the ISO 8601 week-year */ cast(yearofweekiso({{ date_expression }}) as integer) /* /portable */
{%- endmacro %}
