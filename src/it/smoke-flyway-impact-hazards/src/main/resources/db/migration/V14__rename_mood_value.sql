ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';
