# Recall site: hamdanyasser/smart-travel-planner test_api.py (module level), checks the weather of a few destinations one request at a time, printing a line per city and a fallback line on any error.
import requests

weather_key = "<api key>"

destinations = ["Lisbon", "Oslo", "Amman", "Doha", "Seoul"]

print("Looking up the forecast...\n")

for place in destinations:  # recall: PAR201
    try:
        address = f"http://api.openweathermap.org/data/2.5/weather?q={place}&appid={weather_key}&units=metric"
        answer = requests.get(address)
        body = answer.json()

        degrees = body["main"]["temp"]
        sky = body["weather"][0]["description"]
        print(f"{place}: {degrees} C, {sky}")
    except:
        print(f"{place}: lookup failed.")

print("\nFinished.")
