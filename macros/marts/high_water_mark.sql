{#
    The high-water mark of an incremental mart: the latest synced_at it already holds, less
    var('raw_lookback_minutes') (commit-order skew between Fivetran's writers only), as a scalar
    subquery on {{ this }}; 1900-01-01 when the table is empty. Change detection compares staging's
    synced_at (the Fivetran load time of the row's current version) with it, never an event date:
    a late status change arrives with a new synced_at whatever its event time.
#}
{% macro high_water_mark(column='synced_at') -%}
    (
        select {{ dbt.dateadd(
            'minute',
            -1 * var('raw_lookback_minutes'),
            "coalesce(max(high_water." ~ column ~ "), cast('1900-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ "))"
        ) }}
        from {{ this }} as high_water
    )
{%- endmacro %}
