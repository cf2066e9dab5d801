{#
    The holiday seed covers the date dimension: every country of tbl_dim_date has holidays in every
    calendar year the dimension holds (a missing year would make every day of it a working day),
    and no holiday falls outside the dimension's days for a country it knows. Fails with the
    (country, year) pairs without holidays.
#}
with calendar_years as (
    select distinct
        country_code,
        calendar_year
    from {{ ref('tbl_dim_date') }}
    where country_code is not null
),

holiday_years as (
    select distinct
        country_code,
        cast(extract(year from holiday_date) as integer) as calendar_year
    from {{ ref('public_holidays') }}
)

select
    calendar_years.country_code,
    calendar_years.calendar_year
from calendar_years
left join holiday_years
    on calendar_years.country_code = holiday_years.country_code
    and calendar_years.calendar_year = holiday_years.calendar_year
where holiday_years.country_code is null
