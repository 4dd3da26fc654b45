-- Reserved for this change; filled in by the work that needs it.
SELECT 1;
