{#
    The defect audit per defect type: rows injected and what became of them.
#}
with outcomes as (
    select * from {{ ref('tbl_audit_defect_outcomes') }}
),

final as (
    select
        defect_type,
        count(*) as injected_rows,
        sum(case when outcome = 'quarantined' then 1 else 0 end) as quarantined_rows,
        sum(case when outcome = 'corrected' then 1 else 0 end) as corrected_rows,
        sum(case when outcome = 'harmless' then 1 else 0 end) as harmless_rows,
        sum(case when outcome = 'missed' then 1 else 0 end) as missed_rows
    from outcomes
    group by defect_type
)

select
    defect_type,
    injected_rows,
    quarantined_rows,
    corrected_rows,
    harmless_rows,
    missed_rows
from final
