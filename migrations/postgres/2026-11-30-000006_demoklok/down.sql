DROP TABLE gereedheidsproef;
DROP TABLE demoklok;
