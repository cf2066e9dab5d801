{#
    Every landed row with its key defect and version rank, so that raw models and the raw quarantine
    read one definition:
    - key_defect = 'null_key' when any key column is null;
    - key_defect = 'conflicting_duplicate' when one sync (_fivetran_synced) delivered the same key
      with different contents (exact re-deliveries are not conflicts);
    - version_rank = 1 for the newest clean version of a key (exact copies are interchangeable).
    The fingerprint is computed only for keys delivered more than once in a sync, to keep it cheap.

    `landed_rows` is the SELECT of the landed rows (e.g. landed_since_high_water_mark), not a CTE
    name: it is read three times, as subqueries, because DuckDB materializes a CTE read more than
    once (every column of every landed row). Only the rows whose key is null or landed more than
    once in `landed_rows` (≈ 0.4 % of landed pings) go through the window functions; a key landed
    once is classified by a key count and an anti-join: no defect, rank 1, one copy. Every window
    partition (same key, null keys together) lies wholly inside the repeated rows, so the result is
    the same as windowing all rows, which sorted every landed row with all its columns and spilled
    at SF 10 (raw telematics 28 → 370 s and the quarantine 24 → 290 s from SF 1 to SF 10).
#}
{% macro classify_landed_rows(landed_rows, key_columns, columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    {%- set present_checks = [] -%}
    {%- set key_matches = [] -%}
    {%- for key in key_columns -%}
        {%- do present_checks.append('landed.' ~ key ~ ' is not null') -%}
        {%- do key_matches.append('repeated_keys.' ~ key ~ ' = landed.' ~ key) -%}
    {%- endfor -%}
    {%- set keys_present = present_checks | join(' and ') -%}
    {%- set same_key = key_matches | join(' and ') -%}
    with repeated_keys as (
        select {{ keys }}
        from ({{ landed_rows }}) as landed
        where {{ keys_present }}
        group by {{ keys }}
        having count(*) > 1
    ),

    single_versions as (
        select
            landed.*,
            cast(1 as {{ dbt.type_bigint() }}) as copies_in_sync,
            cast(null as {{ dbt.type_string() }}) as duplicate_fingerprint,
            cast(null as {{ dbt.type_string() }}) as key_defect,
            cast(1 as {{ dbt.type_bigint() }}) as version_rank
        from ({{ landed_rows }}) as landed
        where {{ keys_present }}
          and not exists (
              select 1
              from repeated_keys
              where {{ same_key }}
          )
    ),

    repeated_versions as (
        select landed.*
        from ({{ landed_rows }}) as landed
        where not ({{ keys_present }})
           or exists (
              select 1
              from repeated_keys
              where {{ same_key }}
          )
    ),

    counted as (
        select
            repeated_versions.*,
            count(*) over (partition by {{ keys }}, _fivetran_synced) as copies_in_sync
        from repeated_versions
    ),

    fingerprinted as (
        select
            counted.*,
            case when copies_in_sync > 1 then {{ row_fingerprint(columns) }} end as duplicate_fingerprint
        from counted
    ),

    flagged as (
        select
            fingerprinted.*,
            case
                when not ({% for key in key_columns %}{{ key }} is not null{% if not loop.last %} and {% endif %}{% endfor %})
                    then 'null_key'
                when copies_in_sync > 1
                    and min(duplicate_fingerprint) over (partition by {{ keys }}, _fivetran_synced)
                        <> max(duplicate_fingerprint) over (partition by {{ keys }}, _fivetran_synced)
                    then 'conflicting_duplicate'
            end as key_defect
        from fingerprinted
    ),

    ranked as (
        select
            flagged.*,
            case
                when key_defect is null
                    then row_number() over (
                        partition by {{ keys }}, key_defect
                        order by _fivetran_synced desc
                    )
            end as version_rank
        from flagged
    )

    select * from single_versions
    union all
    select * from ranked
{%- endmacro %}
