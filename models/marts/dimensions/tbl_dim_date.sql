{#
    One row per calendar day per country of the data's locations (plus the unknown member): the
    calendar is the same everywhere, but public holidays (seed public_holidays) and the season
    (hemisphere of the country's locations) depend on the country. The days come from
    int_calendar_days (whole calendar years over the data's range).
#}
with calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

locations as (
    select * from {{ ref('tbl_stg_locations') }}
),

public_holidays as (
    select * from {{ ref('public_holidays') }}
),

countries as (
    select
        locations.country_code,
        {{ hemisphere('avg(cast(locations.latitude as double))') }} as hemisphere
    from locations
    where locations.country_code is not null
    group by locations.country_code
),

calendar as (
    select
        calendar_days.date_day,
        {{ date_id('calendar_days.date_day') }} as date_id,
        cast(extract(year from calendar_days.date_day) as integer) as calendar_year,
        cast(extract(quarter from calendar_days.date_day) as integer) as calendar_quarter,
        cast(extract(month from calendar_days.date_day) as integer) as calendar_month,
        cast(extract(day from calendar_days.date_day) as integer) as day_of_month,
        {{ iso_weekday('calendar_days.date_day') }} as iso_weekday,
        {{ iso_week('calendar_days.date_day') }} as iso_week,
        {{ iso_year('calendar_days.date_day') }} as iso_year
    from calendar_days
),

known_days as (
    select
        {{ surrogate_key(['calendar.date_id', 'countries.country_code']) }} as date_sk,
        calendar.date_day,
        calendar.date_id,
        countries.country_code,
        calendar.calendar_year,
        calendar.calendar_quarter,
        calendar.calendar_month,
        calendar.day_of_month,
        calendar.iso_weekday,
        calendar.iso_week,
        calendar.iso_year,
        cast({{ dbt.dateadd('day', '1 - calendar.iso_weekday', 'calendar.date_day') }} as date) as week_start_date,
        cast({{ dbt.date_trunc('month', 'calendar.date_day') }} as date) as month_start_date,
        {{ is_weekend('calendar.iso_weekday') }} as is_weekend,
        countries.hemisphere,
        {{ season('calendar.calendar_month', 'countries.hemisphere') }} as season,
        (public_holidays.holiday_date is not null) as is_public_holiday,
        public_holidays.holiday_name,
        (not {{ is_weekend('calendar.iso_weekday') }} and public_holidays.holiday_date is null) as is_working_day
    from calendar
    cross join countries
    left join public_holidays
        on calendar.date_day = public_holidays.holiday_date
        and countries.country_code = public_holidays.country_code
),

unknown_day as (
    select
        {{ unknown_key() }} as date_sk,
        null as date_day,
        null as date_id,
        null as country_code,
        null as calendar_year,
        null as calendar_quarter,
        null as calendar_month,
        null as day_of_month,
        null as iso_weekday,
        null as iso_week,
        null as iso_year,
        null as week_start_date,
        null as month_start_date,
        false as is_weekend,
        null as hemisphere,
        null as season,
        false as is_public_holiday,
        null as holiday_name,
        false as is_working_day
),

combined as (
    select * from known_days
    union all
    select * from unknown_day
),

final as (
    select
        cast(date_sk as {{ dbt.type_string() }}) as date_sk,
        cast(date_day as date) as date_day,
        cast(date_id as integer) as date_id,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        cast(calendar_year as integer) as calendar_year,
        cast(calendar_quarter as integer) as calendar_quarter,
        cast(calendar_month as integer) as calendar_month,
        cast(day_of_month as integer) as day_of_month,
        cast(iso_weekday as integer) as iso_weekday,
        cast(iso_week as integer) as iso_week,
        cast(iso_year as integer) as iso_year,
        cast(week_start_date as date) as week_start_date,
        cast(month_start_date as date) as month_start_date,
        cast(is_weekend as boolean) as is_weekend,
        cast(hemisphere as {{ dbt.type_string() }}) as hemisphere,
        cast(season as {{ dbt.type_string() }}) as season,
        cast(is_public_holiday as boolean) as is_public_holiday,
        cast(holiday_name as {{ dbt.type_string() }}) as holiday_name,
        cast(is_working_day as boolean) as is_working_day
    from combined
)

select * from final
