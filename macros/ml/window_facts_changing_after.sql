{#
    What an incremental run of a window table (macro window_state_ctes) needs to read: the table's
    last built feature_date, and the facts that can still change a window after it. A fact changes
    the sums only on the day it enters a window (the later of event_date + offset and known_date) and
    the day it leaves (the earlier of event_date + offset + length and until_date), so a fact with
    known_date, until_date and event_date + the longest offset + length all on or before that day
    brings no change to any later day: skipping it is exact, and a daily run reads the recent facts,
    not the history.
#}

{# The last feature_date stored in the model ({{ this }}), or null when it is empty. #}
{% macro window_last_built_date() -%}
    (select max(built.feature_date) from {{ this }} as built)
{%- endmacro %}

{# A condition on one fact: true when it can change one of `windows` after `after_date` (true
   when after_date is null: nothing is built yet). until_date none: the facts are never withdrawn. #}
{% macro window_facts_changing_after(windows, event_date, known_date, until_date, after_date) -%}
    {%- set spans = [] -%}
    {%- for window in windows -%}
        {%- do spans.append(window.offset_days + (window.length_days or 0)) -%}
    {%- endfor -%}
    ({{ after_date }} is null
        or {{ known_date }} > {{ after_date }}
        {%- if until_date is not none %}
        or {{ until_date }} > {{ after_date }}
        {%- endif %}
        or {{ add_days(spans | max, event_date) }} > {{ after_date }})
{%- endmacro %}
