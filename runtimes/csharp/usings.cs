// The implicit usings of a new console project (dotnet new console), which every C# run is compiled with.
global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
global using System.Net.Http;
global using System.Threading;
global using System.Threading.Tasks;
