{#
    The versions of an entity, one row per key and version, from its dbt snapshot (SCD2 over staging
    minus soft-deleted rows, `hard_deletes: new_record`), with a validity window that never depends
    on the wall clock:
    - deletion records (dbt_is_deleted = 'True', stamped with the snapshot's wall-clock time) are not
      versions; they only set is_deleted (the key's latest record is an open deletion record);
    - a key the snapshot never saw (soft-deleted at the source before the snapshot first ran, e.g. a
      churned customer) gets one version from staging, so facts about it still find its attributes;
    - a key that only exists in the staging quarantine (it failed validation, while rows that
      reference it passed, because staging checks parents by key) gets an inferred version: the key,
      null attributes, is_inferred true. Facts then never reference a key the dimension lacks; when a
      valid version lands, the snapshot's version replaces the inferred one;
    - valid_from_at: the version's start (dbt_valid_from = the source's updated_at), except that each
      key's first version is valid from 1900-01-01 (a snapshot first sees a key when it first runs,
      so the key's earlier history is unknown and its first known version is the best answer);
      such a version is flagged is_backdated: before version_started_at it stands for attributes
      nobody recorded (a vehicle retired in June 2024 shows RETIRED for its trips of 2023);
    - valid_to_at: the next version's start, else 9999-12-31 23:59:59 (never a deletion's wall-clock
      time, so a later rebuild gives the same windows);
    - a re-inserted version with the same start as an existing one (a delete undone) counts once.
    Columns: key_column, the given columns, updated_at, synced_at, version_started_at,
    version_number, valid_from_at, valid_to_at, is_current, is_deleted, is_inferred, is_backdated.
#}
{% macro scd_versions(snapshot_relation, staging_relation, quarantine_relation, key_column, columns) -%}
    with snapshot_records as (
        select * from {{ snapshot_relation }}
    ),

    open_deletions as (
        select distinct {{ key_column }}
        from snapshot_records
        where dbt_is_deleted = 'True'
          and dbt_valid_to is null
    ),

    snapshotted_versions as (
        select
            {{ key_column }},
            {%- for column in columns %}
            {{ column }},
            {%- endfor %}
            updated_at,
            synced_at,
            dbt_valid_from as version_started_at,
            false as is_deleted_in_staging,
            false as is_inferred
        from snapshot_records
        where coalesce(dbt_is_deleted, 'False') <> 'True'
        qualify row_number() over (
            partition by {{ key_column }}, dbt_valid_from
            order by synced_at desc, dbt_scd_id
        ) = 1
    ),

    never_snapshotted as (
        select
            staged.{{ key_column }},
            {%- for column in columns %}
            staged.{{ column }},
            {%- endfor %}
            staged.updated_at,
            staged.synced_at,
            staged.updated_at as version_started_at,
            staged.is_deleted as is_deleted_in_staging,
            false as is_inferred
        from {{ staging_relation }} as staged
        where staged.{{ key_column }} not in (
            select snapshotted_versions.{{ key_column }} from snapshotted_versions
        )
    ),

    inferred as (
        select
            quarantined.{{ key_column }},
            {%- for column in columns %}
            null as {{ column }},
            {%- endfor %}
            cast(null as {{ dbt.type_timestamp() }}) as updated_at,
            quarantined.synced_at,
            cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as version_started_at,
            quarantined.is_deleted as is_deleted_in_staging,
            true as is_inferred
        from {{ quarantine_relation }} as quarantined
        where quarantined.{{ key_column }} is not null
          and quarantined.{{ key_column }} not in (
              select snapshotted_versions.{{ key_column }} from snapshotted_versions
              union all
              select never_snapshotted.{{ key_column }} from never_snapshotted
          )
        qualify row_number() over (
            partition by quarantined.{{ key_column }}
            order by quarantined.synced_at desc
        ) = 1
    ),

    versions as (
        select * from snapshotted_versions
        union all
        select * from never_snapshotted
        union all
        select * from inferred
    ),

    windowed as (
        select
            versions.*,
            cast(row_number() over (
                partition by versions.{{ key_column }} order by versions.version_started_at
            ) as integer) as version_number,
            lead(versions.version_started_at) over (
                partition by versions.{{ key_column }} order by versions.version_started_at
            ) as next_version_started_at
        from versions
    )

    select
        windowed.{{ key_column }},
        {%- for column in columns %}
        windowed.{{ column }},
        {%- endfor %}
        windowed.updated_at,
        windowed.synced_at,
        windowed.version_started_at,
        windowed.version_number,
        case
            when windowed.version_number = 1 then cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
            else windowed.version_started_at
        end as valid_from_at,
        coalesce(
            windowed.next_version_started_at,
            cast('9999-12-31 23:59:59' as {{ dbt.type_timestamp() }})
        ) as valid_to_at,
        (windowed.next_version_started_at is null) as is_current,
        (open_deletions.{{ key_column }} is not null or windowed.is_deleted_in_staging) as is_deleted,
        windowed.is_inferred,
        (
            windowed.version_number = 1
            and windowed.version_started_at > cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
        ) as is_backdated
    from windowed
    left join open_deletions
        on windowed.{{ key_column }} = open_deletions.{{ key_column }}
{%- endmacro %}
