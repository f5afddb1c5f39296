var squares = Enumerable.Range(1, 3).Select(n => n * n);
foreach (var square in squares)
{
    Console.WriteLine($"Hello from C#, {square}");
}
