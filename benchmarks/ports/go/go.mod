module memstrat

go 1.19
