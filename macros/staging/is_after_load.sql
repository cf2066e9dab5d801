{#
    True when an event timestamp lies more than an hour after the row was loaded (_fivetran_synced):
    an event cannot be recorded after it was synced, so the timestamp is corrupt (e.g. year 2099).
    Judged per row against its own load time, never against the wall clock, so a rerun agrees.
#}
{% macro is_after_load(timestamp_column, synced_column='synced_at') -%}
    ({{ timestamp_column }} > {{ dbt.dateadd('hour', 1, synced_column) }})
{%- endmacro %}
