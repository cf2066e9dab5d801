{#
    Calendar-window sums as running totals. `contributions` (a CTE) holds one row per recorded fact
    with entity_type, entity_id, event_date (the day it happened), known_date (the first day at whose
    end the warehouse knew it), until_date (the first day at whose end it no longer counts, e.g. its
    soft delete became known; null = never) and the measure columns. In the window `name`
    (offset_days, length_days) of feature day d a fact counts when its event_date lies in
    [d - offset - length + 1, d - offset] and known_date <= d < until_date, i.e. on the days
    [max(event_date + offset, known_date), min(event_date + offset + length, until_date) - 1].
    length_days none is an open window: from max(event_date + offset, known_date) until until_date.
    A window may list its own `measures` (default: all) and a `where` condition on the facts it
    reads, so unrelated facts and windows produce no changes.
    Returns, per fact and window, the change of every <measure>_<window> on the day it enters
    (+ measure) and on the day it leaves (- measure); the running sum of the changes over a dense
    calendar of days is the window's value (calendar windows, never rows). Changes are
    decimal(18, 3), so running totals are exact in any order of summation.
#}
{% macro rolling_window_deltas(contributions, windows, measures) -%}
    {%- set c = contributions -%}
    {%- set parts = [] -%}
    {%- for window in windows -%}
        {%- set enter_day = 'greatest(' ~ add_days(window.offset_days, c ~ '.event_date') ~ ', ' ~ c ~ '.known_date)' -%}
        {%- if window.length_days is none -%}
            {%- set leave_day = c ~ '.until_date' -%}
        {%- else -%}
            {%- set window_end = add_days(window.offset_days + window.length_days, c ~ '.event_date') -%}
            {%- set leave_day = 'case when ' ~ c ~ '.until_date < ' ~ window_end ~ ' then ' ~ c ~ '.until_date else ' ~ window_end ~ ' end' -%}
        {%- endif -%}
        {%- for edge in ['enter', 'leave'] -%}
            {%- set columns = [] -%}
            {%- for other in windows -%}
                {%- for measure in (other.measures if other.measures is defined else measures) -%}
                    {%- if other.name == window.name -%}
                        {%- do columns.append('cast(' ~ ('-' if edge == 'leave' else '') ~ c ~ '.' ~ measure ~ ' as decimal(18, 3)) as ' ~ measure ~ '_' ~ other.name) -%}
                    {%- else -%}
                        {%- do columns.append('cast(0 as decimal(18, 3)) as ' ~ measure ~ '_' ~ other.name) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endfor -%}
            {%- set part -%}
    select
        {{ c }}.entity_type,
        {{ c }}.entity_id,
        {{ enter_day if edge == 'enter' else leave_day }} as delta_date,
        {{ columns | join(',\n        ') }}
    from {{ c }}
    where ({{ enter_day }} < {{ leave_day }} or {{ leave_day }} is null)
            {%- if window.where is defined %}
      and ({{ window.where }})
            {%- endif %}
            {%- if edge == 'leave' %}
      and {{ leave_day }} is not null
            {%- endif %}
            {%- endset -%}
            {%- do parts.append(part) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ parts | join('\n    union all\n') }}
{%- endmacro %}
