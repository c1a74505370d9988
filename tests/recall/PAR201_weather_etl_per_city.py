# Recall site: mrugandhz/etl-weather-data-pipeline api_code.py (module level), fetches current weather for each city from OpenWeatherMap and collects a row dict per city.
import requests

OWM_KEY = "<owm key>"
towns = ["Boston", "Denver", "Seattle", "Austin", "Miami"]

rows = []

for town in towns:  # recall: PAR201
    endpoint = f"http://api.openweathermap.org/data/2.5/weather?q={town}&appid={OWM_KEY}&units=metric"
    reply = requests.get(endpoint)
    payload = reply.json()
    print(payload)

    current = payload["main"]["temp"]
    lowest = payload["main"]["temp_min"]
    highest = payload["main"]["temp_max"]
    apparent = payload["main"]["feels_like"]
    moisture = payload["main"]["humidity"]
    summary = payload["weather"][0]["description"]

    row = {
        "town": town,
        "current": current,
        "lowest": lowest,
        "highest": highest,
        "apparent": apparent,
        "moisture": moisture,
        "summary": summary,
    }
    rows.append(row)

for row in rows:
    print(f"Town: {row['town']}")
    print(f"Now: {row['current']} C, low {row['lowest']} C, high {row['highest']} C")
    print(f"Humidity: {row['moisture']}%  ({row['summary']})")
