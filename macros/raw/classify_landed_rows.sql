{#
    Every landed row with its key defect and version rank, so that raw models and the raw quarantine
    read one definition:
    - key_defect = 'null_key' when any key column is null;
    - key_defect = 'conflicting_duplicate' when one sync (_fivetran_synced) delivered the same key
      with different contents (exact re-deliveries are not conflicts);
    - version_rank = 1 for the newest clean version of a key (exact copies are interchangeable).
    The fingerprint is computed only for keys delivered more than once in a sync, to keep it cheap.
#}
{% macro classify_landed_rows(landed, key_columns, columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    with counted as (
        select
            {{ landed }}.*,
            count(*) over (partition by {{ keys }}, _fivetran_synced) as copies_in_sync
        from {{ landed }}
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
    )

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
{%- endmacro %}
