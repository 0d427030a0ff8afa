-- The repaired times stay repaired: there is nothing to undo.
SELECT 1;
