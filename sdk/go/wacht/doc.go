// Wacht users as code: users, a census of undeclared accounts, and user lookups.
package wacht
