{#
    Accessors of the governance declaration (vars.governance in dbt_project.yml). Every governance
    statement is generated from these; nothing else names a role, a policy or an environment.
#}

{% macro governance() -%}
    {{ return(var('governance')) }}
{%- endmacro %}

{#
    The environment of the current target: {database, role_prefix}. Compile error when the target is
    not declared, or when it points at another environment's database (a CI build must never touch
    production's policies or relations).
#}
{% macro governance_environment() -%}
    {%- set environments = governance()['environments'] -%}
    {%- if target.name not in environments -%}
        {%- do exceptions.raise_compiler_error(
            "Target '" ~ target.name ~ "' has no environment in vars.governance.environments (dbt_project.yml): "
            ~ "declare its database and role prefix before building it on Snowflake.") -%}
    {%- endif -%}
    {%- set environment = environments[target.name] -%}
    {%- if target.database | upper != environment['database'] | upper -%}
        {%- do exceptions.raise_compiler_error(
            "Target '" ~ target.name ~ "' points at database " ~ target.database ~ ", but its environment is "
            ~ environment['database'] ~ " (vars.governance.environments): refusing to touch another "
            ~ "environment's relations and policies.") -%}
    {%- endif -%}
    {{ return(environment) }}
{%- endmacro %}

{# The environment whose policy rules apply (`policies_of`: the offline emulator checks prod's). #}
{% macro policy_environment_name() -%}
    {{ return(governance_environment().get('policies_of', target.name)) }}
{%- endmacro %}

{# A declared role's name in the current environment (the environment's prefix + the name). #}
{% macro governance_role(name) -%}
    {%- if name not in governance()['roles'] -%}
        {%- do exceptions.raise_compiler_error(
            "Role " ~ name ~ " is not declared in vars.governance.roles (dbt_project.yml)") -%}
    {%- endif -%}
    {{ return(governance_environment()['role_prefix'] ~ name) }}
{%- endmacro %}

{# Fully qualified name of an object in the environment's policy schema. #}
{% macro policy_object_name(name) -%}
    {{ return(governance_environment()['database'] ~ '.' ~ governance()['policy_schema'] ~ '.' ~ name | upper) }}
{%- endmacro %}

{# The declared roles a role inherits, itself included (transitively, through `inherits`). #}
{% macro inherited_roles(name) -%}
    {%- set roles = governance()['roles'] -%}
    {%- set found = [] -%}
    {%- set queue = [name] -%}
    {%- for _ in range(1000) if queue -%}
        {%- set current = queue.pop(0) -%}
        {%- if current not in found -%}
            {%- do found.append(current) -%}
            {%- do queue.extend((roles.get(current) or {}).get('inherits', [])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#
    Roles (environment names, sorted) that see unmasked PII when they are the PRIMARY role: those
    that inherit a role declaring this environment in `unmasked_pii_in`.
#}
{% macro unmasked_pii_roles() -%}
    {%- set roles = governance()['roles'] -%}
    {%- set found = [] -%}
    {%- for name in roles -%}
        {%- for inherited in inherited_roles(name) if policy_environment_name() in (roles[inherited] or {}).get('unmasked_pii_in', []) -%}
            {%- if loop.first -%}{%- do found.append(governance_role(name)) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found | sort) }}
{%- endmacro %}

{# Roles (environment names, sorted) that see every customer row as the PRIMARY role. #}
{% macro all_customer_rows_roles() -%}
    {%- set roles = governance()['roles'] -%}
    {%- set found = [] -%}
    {%- for name in roles -%}
        {%- for inherited in inherited_roles(name) if (roles[inherited] or {}).get('customer_rows') == 'all' -%}
            {%- if loop.first -%}{%- do found.append(governance_role(name)) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found | sort) }}
{%- endmacro %}

{# SQL: true when the session's primary role is one of `roles` (false for none). #}
{% macro primary_role_in(roles) -%}
    {%- if not roles -%}{{ return('false') }}{%- endif -%}
    {{ return("current_role() in ('" ~ roles | join("', '") ~ "')") }}
{%- endmacro %}
