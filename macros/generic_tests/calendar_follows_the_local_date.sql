{#
    A fact's calendar key follows the LOCAL date: for every row with a known key, the tbl_dim_date
    day of date_key_column is the local date of instant_column in the time zone of the location
    (location_id_column) as of that instant, recomputed from tbl_dim_location. A pickup at 09:30 on a
    Saturday in Sydney is 22:30 on a Friday in UTC and must read as a Saturday. Fails with the rows
    whose calendar day differs (a key built on the UTC date).
#}
{% test calendar_follows_the_local_date(model, date_key_column, instant_column, location_id_column) %}
    with facts as (
        select
            {{ date_key_column }} as date_sk,
            {{ instant_column }} as event_at,
            {{ location_id_column }} as location_id
        from {{ model }}
        where {{ date_key_column }} <> {{ unknown_key() }}
    ),

    locations as (
        select
            location_id,
            time_zone,
            valid_from_at,
            valid_to_at
        from {{ ref('tbl_dim_location') }}
        where time_zone is not null
    ),

    calendar_days as (
        select
            date_sk,
            date_day
        from {{ ref('tbl_dim_date') }}
    )

    select
        facts.event_at,
        facts.location_id,
        locations.time_zone,
        calendar_days.date_day as fact_calendar_day,
        {{ local_date('facts.event_at', 'locations.time_zone') }} as local_date
    from facts
    inner join locations
        on facts.location_id = locations.location_id
        and facts.event_at >= locations.valid_from_at
        and facts.event_at < locations.valid_to_at
    inner join calendar_days
        on facts.date_sk = calendar_days.date_sk
    where calendar_days.date_day <> {{ local_date('facts.event_at', 'locations.time_zone') }}
{% endtest %}
