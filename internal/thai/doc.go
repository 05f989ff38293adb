// Package thai holds the Thai conventions that Termtem's importers, forms,
// matching and UI must all handle the same way: Buddhist Era dates (often
// partial in older records), the 13-digit national ID, and names: titles,
// typing slips, and phonetic keys under which sound-alike Thai spellings and
// their romanisations meet.
//
// They live in one place so that a date typed by a social worker, a date in
// a health-facility export and a date shown on screen agree, and so that ID
// validation never rejects the stateless and migrant children (ID types 0, 6
// and 7) who are among the platform's core users.
package thai
