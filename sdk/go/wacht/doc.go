// Wacht users as code: users, organization and workspace memberships with roles, a census of undeclared accounts, and lookups.
package wacht
